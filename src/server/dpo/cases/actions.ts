import { sql } from 'kysely';
import type { z } from 'zod';
import { type ContactPurpose, DIRECT_MARKETING_PURPOSES, type LegalBasis, type LegalBasisState, type STATEMENT_SOURCES } from '../../../shared/crm-schemas';
import { DSR_CLOSED_STATUSES, type DsrChannel, type DsrCorrectionStatus, type DsrKind, type registerObjectionSchema, type requestCorrectionSchema } from '../../../shared/dsr-schemas';
import { formatCalendarDate } from '../../../shared/oslo-time';
import { AuditedDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { contactById, currentBases } from '../../crm/repository';
import { crmLeadContactRetentionCategory } from '../../crm/retention-category';
import { objectToDirectMarketing } from '../../crm/service';
import type { Executor } from '../../db/database';
import { fieldError } from '../../errors';
import { addCaseStep, type CaseRow, caseById, userNames } from './repository';

/**
 * What a data-subject request does beyond its own status (DPO-4), each step audited and written into
 * the case's history:
 *
 * - Rectification of journal content goes through JRN-4, and only a clinician writes the journal:
 *   the DPO asks the responsible clinician (one who treats the patient or wrote their notes) to
 *   correct it, with the case as reference. The journal shows the clinician the open request; they
 *   answer it by amending the note (a new signed version with its reason) or by recording the
 *   refusal in the journal (corrections.ts), and the case shows how it was answered.
 * - An objection (art. 21) applies where processing rests on legitimate interest: in this product
 *   the CRM's direct marketing (the journal rests on a legal duty, bookings and the portal on
 *   contract). The DPO registers it for the person's CRM contacts the case's search finds, through
 *   the CRM's own objection (the same records and events as when sales records it), naming the case.
 */

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'secretBox'>;
type In<T extends z.ZodType> = z.output<T>;
type StatementSource = (typeof STATEMENT_SOURCES)[number];

/** How the request reached us, as the CRM records how an objection was said. */
const STATEMENT_SOURCE_OF_CHANNEL: Record<DsrChannel, StatementSource> = {
  letter: 'other',
  email: 'email',
  phone: 'phone',
  in_person: 'meeting',
  web_form: 'contact_form',
  other: 'other',
};

/** The case, locked for the change, if it is this organisation's; else refused as not found, and logged. */
async function lockedCase(deps: Deps, user: SessionUser, caseId: string): Promise<CaseRow> {
  const row = await caseById(deps.trx, user.organisationId, caseId, { lock: true });
  if (!row) throw new AuditedDenial({ reason: 'not_found', objectType: 'dsr_case', objectId: caseId }, 'not_found');
  return row;
}

/** An open case of this kind whose person's identity is verified: nothing is done for an unverified person (art. 12(6)). */
function requireActionable(row: CaseRow, kind: DsrKind): void {
  if (DSR_CLOSED_STATUSES.includes(row.status)) throw fieldError('caseId', 'validation.dsr_case_closed');
  if (row.kind !== kind) throw fieldError('caseId', 'validation.dsr_wrong_kind');
  if (row.identity_verified_at === null) throw fieldError('caseId', 'validation.dsr_identity_required');
}

/** The organisation's active clinicians (a role granted and not revoked). */
async function activeClinicians(trx: Executor, organisationId: string, userIds?: readonly string[]) {
  return trx
    .selectFrom('app_user')
    .innerJoin('role_grant', (join) => join.onRef('role_grant.user_id', '=', 'app_user.id').onRef('role_grant.organisation_id', '=', 'app_user.organisation_id'))
    .select(['app_user.id', 'app_user.display_name', 'app_user.profession'])
    .distinct()
    .where('app_user.organisation_id', '=', organisationId)
    .where('app_user.status', '=', 'active')
    .where('role_grant.role', '=', 'clinician')
    .where('role_grant.revoked_at', 'is', null)
    .$if(userIds !== undefined, (query) => query.where('app_user.id', 'in', userIds && userIds.length > 0 ? [...userIds] : ['00000000-0000-0000-0000-000000000000']))
    .orderBy('app_user.display_name')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Rectification: a correction of the journal asked of a clinician (JRN-4)
// ---------------------------------------------------------------------------------------------

/**
 * DPO-4, JRN-4: asks a clinician to correct the journal as the person requests. The request is the
 * case's; the clinician answers it in the journal. The event holds the ids; what is asked stays on
 * the request.
 */
export async function requestCorrection(deps: Deps, user: SessionUser, input: In<typeof requestCorrectionSchema>): Promise<{ id: string }> {
  const row = await lockedCase(deps, user, input.caseId);
  const [assignee] = await activeClinicians(deps.trx, user.organisationId, [input.assigneeId]);
  if (!assignee) {
    const isColleague = await deps.trx.selectFrom('app_user').select('id').where('organisation_id', '=', user.organisationId).where('id', '=', input.assigneeId).executeTakeFirst();
    // Another organisation's user is as unknown as a made-up id; a colleague who is no clinician cannot write the journal.
    if (!isColleague) throw new AuditedDenial({ reason: 'not_found', objectType: 'app_user', objectId: input.assigneeId }, 'not_found');
    throw fieldError('assigneeId', 'validation.dsr_assignee_not_clinician');
  }
  requireActionable(row, 'rectification');
  if (row.patient_id === null) throw fieldError('caseId', 'validation.dsr_no_patient_linked');
  const request = await deps.trx
    .insertInto('dsr_correction_request')
    .values({
      organisation_id: user.organisationId,
      case_id: row.id,
      patient_id: row.patient_id,
      assigned_to: assignee.id,
      requested_change: input.requestedChange,
      requested_by: user.userId,
      requested_at: deps.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addCaseStep(deps.trx, row, user.userId, 'correction_requested', deps.now);
  deps.audit.record({
    action: 'dpo.case.correction_requested',
    objectType: 'dsr_correction_request',
    objectId: request.id,
    patientId: row.patient_id,
    details: { caseId: row.id, assigneeId: assignee.id },
  });
  return { id: request.id };
}

export interface CorrectionRequestView {
  id: string;
  assignedToName: string | null;
  requestedChange: string;
  requestedAt: Date;
  requestedByName: string | null;
  status: DsrCorrectionStatus;
  answeredAt: Date | null;
  answeredByName: string | null;
  /** The note that answered it: the amended note or the recorded refusal (its content stays in the journal). */
  answerNoteId: string | null;
}

export interface CorrectionCandidate {
  id: string;
  name: string;
  profession: string | null;
  /** Treats the patient now, or wrote notes in their journal: the one to ask first. */
  isResponsible: boolean;
}

/** The case page's part of the actions: the correction requests of a rectification case and whom to ask. */
export async function caseActionsOf(deps: Pick<Deps, 'trx' | 'now'>, user: SessionUser, row: CaseRow): Promise<{ corrections: CorrectionRequestView[]; correctionCandidates: CorrectionCandidate[] }> {
  const requests = await deps.trx
    .selectFrom('dsr_correction_request')
    .selectAll()
    .where('organisation_id', '=', user.organisationId)
    .where('case_id', '=', row.id)
    .orderBy('requested_at')
    .orderBy('id')
    .execute();
  const names = await userNames(deps.trx, user.organisationId, requests.flatMap((request) => [request.assigned_to, request.requested_by, request.answered_by]));
  const nameOf = (id: string | null) => (id === null ? null : (names.get(id) ?? null));
  const corrections = requests.map(
    (request): CorrectionRequestView => ({
      id: request.id,
      assignedToName: nameOf(request.assigned_to),
      requestedChange: request.requested_change,
      requestedAt: request.requested_at,
      requestedByName: nameOf(request.requested_by),
      status: request.status,
      answeredAt: request.answered_at,
      answeredByName: nameOf(request.answered_by),
      answerNoteId: request.answer_note_id,
    }),
  );
  if (row.kind !== 'rectification' || row.patient_id === null) return { corrections, correctionCandidates: [] };
  const clinicians = await activeClinicians(deps.trx, user.organisationId);
  const responsible = await sql<{ user_id: string }>`
    select user_id from care_relationship
     where organisation_id = ${user.organisationId} and patient_id = ${row.patient_id}
       and starts_at <= ${deps.now} and (ends_at is null or ends_at > ${deps.now})
    union
    select author_id from journal_note where organisation_id = ${user.organisationId} and patient_id = ${row.patient_id}`.execute(deps.trx);
  const isResponsible = new Set(responsible.rows.map((entry) => entry.user_id));
  const correctionCandidates = clinicians
    .map((clinician): CorrectionCandidate => ({ id: clinician.id, name: clinician.display_name, profession: clinician.profession, isResponsible: isResponsible.has(clinician.id) }))
    .sort((a, b) => Number(b.isResponsible) - Number(a.isResponsible) || a.name.localeCompare(b.name, 'nb'));
  return { corrections, correctionCandidates };
}

// ---------------------------------------------------------------------------------------------
// Objection: registered in the CRM where processing rests on legitimate interest (art. 21)
// ---------------------------------------------------------------------------------------------

/** The person's CRM contacts as the case's search finds them (the retention registry's CRM category: by e-mail or phone). */
async function contactIdsOfPerson(deps: Deps, user: SessionUser, row: CaseRow): Promise<string[]> {
  const items = await crmLeadContactRetentionCategory.findForPerson(deps.trx, { organisationId: user.organisationId, person: { email: row.email?.toLowerCase() ?? null, phone: row.phone }, now: deps.now });
  return items.map((item) => item.id);
}

export interface ObjectionContact {
  id: string;
  fullName: string;
  jobTitle: string | null;
  companyName: string;
  bases: { purpose: ContactPurpose; basis: LegalBasis; state: LegalBasisState; isFromThisCase: boolean }[];
  /** A direct-marketing purpose rests on legitimate interest, or on nothing yet: there is something to object to. */
  canObject: boolean;
}

/** DPO-4: the person's CRM contacts the case finds, with each purpose's current basis, and whether an objection applies. */
export async function objectionContacts(deps: Deps, user: SessionUser, input: { caseId: string }): Promise<{ contacts: ObjectionContact[] }> {
  const row = await caseById(deps.trx, user.organisationId, input.caseId);
  if (!row) throw new AuditedDenial({ reason: 'not_found', objectType: 'dsr_case', objectId: input.caseId }, 'not_found');
  const ids = await contactIdsOfPerson(deps, user, row);
  const contacts =
    ids.length === 0
      ? []
      : await deps.trx
          .selectFrom('crm_contact')
          .innerJoin('company', (join) => join.onRef('company.organisation_id', '=', 'crm_contact.organisation_id').onRef('company.id', '=', 'crm_contact.company_id'))
          .select(['crm_contact.id', 'crm_contact.full_name', 'crm_contact.job_title', 'company.name as company_name'])
          .where('crm_contact.organisation_id', '=', user.organisationId)
          .where('crm_contact.id', 'in', ids)
          .orderBy('company.name')
          .orderBy('crm_contact.id')
          .execute();
  const bases = await currentBases(deps.trx, user.organisationId, ids);
  deps.audit.record({
    action: 'dpo.case.person_searched',
    objectType: 'dsr_case',
    objectId: row.id,
    basis: 'dsr_case',
    ...(row.patient_id ? { patientId: row.patient_id } : {}),
    details: { purpose: 'objection', contactIds: contacts.map((contact) => contact.id) },
  });
  return {
    contacts: contacts.map((contact) => {
      const own = bases.filter((basis) => basis.contact_id === contact.id);
      return {
        id: contact.id,
        fullName: contact.full_name,
        jobTitle: contact.job_title,
        companyName: contact.company_name,
        bases: own.map((basis) => ({ purpose: basis.purpose, basis: basis.basis, state: basis.state, isFromThisCase: basis.dsr_case_id === row.id })),
        canObject: DIRECT_MARKETING_PURPOSES.some((purpose) => {
          const current = own.find((basis) => basis.purpose === purpose);
          return current === undefined || (current.basis === 'legitimate_interest' && current.state === 'active');
        }),
      };
    }),
  };
}

/**
 * DPO-4 (art. 21): registers the person's objection to direct marketing for the contacts named —
 * each one the case's search finds for the person — through the CRM's own objection, with the case
 * as its reference. A contact with nothing left to object to is passed over; if none has anything,
 * the request is refused.
 */
export async function registerObjection(deps: Deps, user: SessionUser, input: In<typeof registerObjectionSchema>): Promise<{ contacts: { id: string; objected: ContactPurpose[] }[] }> {
  const row = await lockedCase(deps, user, input.caseId);
  const contacts = [];
  for (const contactId of input.contactIds) {
    const contact = await contactById(deps.trx, user.organisationId, contactId, { lock: true });
    if (!contact) throw new AuditedDenial({ reason: 'not_found', objectType: 'crm_contact', objectId: contactId }, 'not_found');
    contacts.push(contact);
  }
  const ofPerson = new Set(await contactIdsOfPerson(deps, user, row));
  if (contacts.some((contact) => !ofPerson.has(contact.id))) throw fieldError('contactIds', 'validation.dsr_contact_not_of_person');
  requireActionable(row, 'objection');
  const statement = {
    source: STATEMENT_SOURCE_OF_CHANNEL[row.channel],
    evidence: `Innsigelse mot direkte markedsføring, registrert av personvernombudet i sak ${row.reference} (mottatt ${formatCalendarDate(row.received_on)}).`,
    dsrCaseId: row.id,
  };
  const results = [];
  for (const contact of contacts) results.push({ id: contact.id, objected: await objectToDirectMarketing(deps, user, contact, statement) });
  const objectedIds = results.filter((result) => result.objected.length > 0).map((result) => result.id);
  if (objectedIds.length === 0) throw fieldError('contactIds', 'validation.crm_no_objectable_basis');
  await addCaseStep(deps.trx, row, user.userId, 'objection_registered', deps.now);
  deps.audit.record({
    action: 'dpo.case.objection_registered',
    objectType: 'dsr_case',
    objectId: row.id,
    ...(row.patient_id ? { patientId: row.patient_id } : {}),
    details: { contactIds: contacts.map((contact) => contact.id), objectedContactIds: objectedIds },
  });
  return { contacts: results };
}
