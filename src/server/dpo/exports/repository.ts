import { sql } from 'kysely';
import type { Executor } from '../../db/database';
import type { StoredAuditEvent } from '../../fhir/audit-event';
import type { BundleNoteVersion } from '../../fhir/journal-bundle';

/** A data-subject request as the exports need it (DPO-5). */
export async function caseById(db: Executor, organisationId: string, caseId: string) {
  return db
    .selectFrom('dsr_case')
    .select(['id', 'reference', 'kind', 'status', 'received_on', 'patient_id', 'email', 'phone', 'national_id_hmac', 'requester_name'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', caseId)
    .executeTakeFirst();
}
export type CaseRow = NonNullable<Awaited<ReturnType<typeof caseById>>>;

/**
 * One page of the organisation's events in [from, to), after the id given, in id order (AUD-5):
 * keyset paging, so an export of 100 000 events reads them a page at a time.
 */
export async function auditEventsPage(db: Executor, organisationId: string, from: Date, to: Date, afterId: string, limit: number): Promise<StoredAuditEvent[]> {
  const rows = await db
    .selectFrom('audit_event')
    .select([
      'id',
      'organisation_id',
      'occurred_at',
      'user_id',
      'user_display_name',
      'user_roles',
      'profession',
      'session_id',
      'auth_method',
      'device_id',
      'action',
      'outcome',
      'reason',
      'patient_id',
      'object_type',
      'object_id',
      'basis',
      sql<string | null>`host(client_ip)`.as('client_ip'),
      'details',
    ])
    .where('organisation_id', '=', organisationId)
    .where('occurred_at', '>=', from)
    .where('occurred_at', '<', to)
    .where('id', '>', afterId as never)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}

/**
 * Every version of every note in the patient's journal that is part of it (no drafts, JRN-2),
 * without the notes a block hides from the reader (ACC-4): oldest first.
 */
export async function journalVersions(db: Executor, organisationId: string, patientId: string, blockedNoteIds: readonly string[]): Promise<BundleNoteVersion[]> {
  const rows = await db
    .selectFrom('journal_note as n')
    .innerJoin('journal_note_version as v', 'v.note_id', 'n.id')
    .innerJoin('app_user as author', 'author.id', 'n.author_id')
    .leftJoin('app_user as signer', 'signer.id', 'v.signed_by')
    .select([
      'n.id as note_id',
      'v.version',
      'n.current_version',
      'n.note_type',
      'n.consultation_date',
      'n.status',
      'n.author_id',
      'author.display_name as author_name',
      'v.body',
      'v.amendment_reason',
      'v.created_at',
      'v.signed_at',
      'signer.display_name as signer_name',
    ])
    .where('n.organisation_id', '=', organisationId)
    .where('n.patient_id', '=', patientId)
    .where('n.status', '!=', 'draft')
    .where('v.signed_at', 'is not', null)
    .$if(blockedNoteIds.length > 0, (query) => query.where('n.id', 'not in', blockedNoteIds))
    .orderBy('n.consultation_date')
    .orderBy('n.created_at')
    .orderBy('v.version')
    .execute();
  return rows.map((row) => ({
    noteId: row.note_id,
    version: row.version,
    isCurrent: row.version === row.current_version,
    noteType: row.note_type,
    consultationDate: row.consultation_date,
    status: row.version === row.current_version ? row.status : 'signed',
    authorId: row.author_id,
    authorName: row.author_name,
    body: row.body,
    amendmentReason: row.amendment_reason,
    createdAt: row.created_at.toISOString(),
    signedAt: row.signed_at?.toISOString() ?? null,
    signedByName: row.signer_name,
  }));
}

export async function patientById(db: Executor, organisationId: string, patientId: string) {
  return db
    .selectFrom('patient')
    .select(['id', 'national_id', 'given_name', 'family_name', 'date_of_birth', 'gender', 'address', 'phone', 'email', 'next_of_kin'])
    .where('organisation_id', '=', organisationId)
    .where('id', '=', patientId)
    .executeTakeFirst();
}

/** How the person is known: the case's patient, its national id (plain and keyed hash), e-mail and phone. */
export interface PersonKeys {
  patientId: string | null;
  nationalId: string | null;
  nationalIdHmac: Buffer | null;
  emails: string[];
  phones: string[];
}

/**
 * The small collector of DPO-5: the person's data in each module, found by the keys above. (The
 * retention registry's findForPerson will replace these queries once it exists.)
 */
export async function collectPersonData(db: Executor, organisationId: string, keys: PersonKeys) {
  const emails = keys.emails.map((email) => email.toLowerCase());
  const { phones } = keys;
  const bookings = await db
    .selectFrom('home_visit_booking')
    .select(['id', 'source', 'full_name', 'street', 'postcode', 'city', 'date_of_birth', 'phone', 'email', 'reason', 'urgency', 'earliest_at', 'latest_at', 'status', 'cancelled_at', 'completed_at'])
    .where('organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([
        ...(keys.patientId ? [eb('patient_id', '=', keys.patientId)] : []),
        ...(keys.nationalId ? [eb('national_id', '=', keys.nationalId)] : []),
        ...(emails.length > 0 ? [eb(sql`lower(email)`, 'in', emails)] : []),
        ...(phones.length > 0 ? [eb('phone', 'in', phones)] : []),
      ]),
    )
    .orderBy('earliest_at')
    .execute();
  const appointments = keys.patientId
    ? await db
        .selectFrom('appointment')
        .innerJoin('app_user as clinician', 'clinician.id', 'appointment.clinician_id')
        .select(['appointment.id', 'appointment.kind', 'appointment.starts_at', 'appointment.duration_minutes', 'appointment.mode', 'appointment.status', 'clinician.display_name as clinician_name'])
        .where('appointment.organisation_id', '=', organisationId)
        .where('appointment.patient_id', '=', keys.patientId)
        .orderBy('appointment.starts_at')
        .execute()
    : [];
  const crmContacts = await db
    .selectFrom('crm_contact')
    .innerJoin('company', 'company.id', 'crm_contact.company_id')
    .select(['crm_contact.id', 'crm_contact.full_name', 'crm_contact.job_title', 'crm_contact.email', 'crm_contact.phone', 'crm_contact.source', 'crm_contact.created_at', 'company.name as company_name'])
    .where('crm_contact.organisation_id', '=', organisationId)
    .where((eb) => eb.or([...(emails.length > 0 ? [eb(sql`lower(crm_contact.email)`, 'in', emails)] : []), ...(phones.length > 0 ? [eb('crm_contact.phone', 'in', phones)] : [])]))
    .orderBy('crm_contact.created_at')
    .execute();
  const contactIds = crmContacts.map((contact) => contact.id);
  const legalBases =
    contactIds.length > 0
      ? await db
          .selectFrom('contact_legal_basis')
          .select(['id', 'contact_id', 'purpose', 'basis', 'state', 'source', 'recorded_at'])
          .where('organisation_id', '=', organisationId)
          .where('contact_id', 'in', contactIds)
          .orderBy('recorded_at')
          .execute()
      : [];
  const portalEmployees = await db
    .selectFrom('corporate_employee')
    .innerJoin('company', 'company.id', 'corporate_employee.company_id')
    .select(['corporate_employee.id', 'corporate_employee.full_name', 'corporate_employee.phone', 'corporate_employee.email', 'corporate_employee.national_id_masked', 'corporate_employee.created_at', 'company.name as company_name'])
    .where('corporate_employee.organisation_id', '=', organisationId)
    .where((eb) =>
      eb.or([
        ...(keys.nationalIdHmac ? [eb('corporate_employee.national_id_hmac', '=', keys.nationalIdHmac)] : []),
        ...(emails.length > 0 ? [eb(sql`lower(corporate_employee.email)`, 'in', emails)] : []),
        ...(phones.length > 0 ? [eb('corporate_employee.phone', 'in', phones)] : []),
      ]),
    )
    .orderBy('corporate_employee.created_at')
    .execute();
  const accounts = await db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'phone', 'profession', 'status', 'created_at', 'last_login_at'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([...(emails.length > 0 ? [eb(sql`lower(email)`, 'in', emails)] : []), ...(phones.length > 0 ? [eb('phone', 'in', phones)] : [])]))
    .execute();
  const consents = keys.patientId
    ? await db
        .selectFrom('patient_consent')
        .select(['id', 'given_by', 'method', 'given_at', 'scope', 'purpose', 'withdrawn_at'])
        .where('organisation_id', '=', organisationId)
        .where('patient_id', '=', keys.patientId)
        .orderBy('given_at')
        .execute()
    : [];
  return { bookings, appointments, crmContacts, legalBases, portalEmployees, accounts, consents };
}

/**
 * Who saw the patient (R-PJL-4), for the package: every event naming the patient, or listing them
 * among the patients a list showed, with who, when, what and on which basis — never the details.
 * (H3's access report is the screen version with its own index; this is the package's small query.)
 */
export async function accessLogOf(db: Executor, organisationId: string, patientId: string) {
  const rows = await db
    .selectFrom('audit_event')
    .select(['id', 'occurred_at', 'user_display_name', 'user_roles', 'profession', 'action', 'outcome', 'basis'])
    .where('organisation_id', '=', organisationId)
    .where((eb) => eb.or([eb('patient_id', '=', patientId), eb(sql`details -> 'shownPatientIds'`, '@>', sql`${JSON.stringify([patientId])}::jsonb`)]))
    .where('user_id', 'is not', null)
    .orderBy('id')
    .limit(10_000)
    .execute();
  return rows.map((row) => ({ ...row, id: String(row.id) }));
}
