import { sql } from 'kysely';
import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { type AccessDecisionRow, decisionOf } from '../access/decide';
import { ACTIONS_THAT_RECORD_CLIENT_IP, type AuditAction } from '../audit/actions';
import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { openCorrectionRequestsQuery, type OpenCorrectionRequest, toOpenCorrectionRequest } from '../dpo/cases/corrections';
import { DomainError } from '../errors';
import { type NotesPageInput, notesPageQuery } from './service';

/**
 * Reading a journal in ONE statement (issue 13, ADR 0017): the access decision (the database
 * function `journal_access_decisions`, ACC-2…4), the patient's header, the page of notes the decision
 * lets this user see, the DPO's open correction requests, and the read's audit events, written by a
 * data-modifying CTE of the same statement. One round trip instead of four to six.
 *
 * Why it fails closed (AUD-3): a statement is atomic. If the INSERT of its events fails (the log
 * refuses, a partition is missing, the database stops), the whole statement fails and returns no row:
 * the caller gets an error and no patient data. There is no moment at which data has been read and
 * its event not yet written. And it is the decision of the same snapshot that chose both the rows and
 * the event's basis.
 *
 * Events: one per read. Allowed, `journal.record.opened` for the open (header and first page) or
 * `journal.notes.read` for a later page or a filter, each with the ids of the notes shown; refused,
 * the same action with the coded reason, as every denial (ACC-5), and the caller gets the error and
 * nothing about the patient.
 */

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

const RECORD_OPENED: AuditAction = 'journal.record.opened';
const NOTES_READ: AuditAction = 'journal.notes.read';

/** A note row of the page as the statement returns it (JSON: instants as ISO text). */
export interface NotePageJsonRow {
  id: string;
  note_type: string;
  consultation_date: string;
  status: 'draft' | 'signed' | 'amended';
  author_id: string;
  author_name: string;
  current_version: number;
  created_at: string;
  updated_at: string;
  body: string | null;
  signed_at: string | null;
  signer_name: string | null;
}

export interface PatientHeaderRow {
  id: string;
  national_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: string;
  gender: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  next_of_kin: string | null;
}

export interface JournalRead {
  decision: Extract<ReturnType<typeof decisionOf>, { isAllowed: true }>;
  accessEndsAt: Date | null;
  /** Only when the header was asked for. */
  patient: PatientHeaderRow | null;
  /** The page, one row more than asked when there is a next page. */
  rows: NotePageJsonRow[];
  correctionRequests: OpenCorrectionRequest[];
}

interface StatementRow {
  decision: Omit<AccessDecisionRow, 'access_ends_at'> & { access_ends_at: string | null };
  patient: PatientHeaderRow | null;
  notes: NotePageJsonRow[];
  correction_requests: Parameters<typeof toOpenCorrectionRequest>[0][];
  events: number;
}

/**
 * One statement: decision, (header,) page, (correction requests,) events. Throws the coded denial
 * after its event has been written by the statement itself.
 */
export async function readJournalInOneStatement(
  deps: Deps,
  user: SessionUser,
  input: NotesPageInput,
  options: { withRecord: boolean; filterCodes: Record<string, unknown> },
): Promise<JournalRead> {
  const actor = deps.audit.defaultActor;
  // One event per read, allowed or refused: the open's names the notes it showed (issue 13: half the
  // rows to insert, index and seal of the two events it wrote before, with the same facts in them).
  const action = options.withRecord ? RECORD_OPENED : NOTES_READ;
  const actions = [action];
  // These reads never hold the client's address (AUD-2: only prints, exports, security events do).
  if (actions.some((action) => ACTIONS_THAT_RECORD_CLIENT_IP.has(action))) throw new Error('a journal read does not record the client address');
  const patientId = input.patientId;
  const page = notesPageQuery(deps.trx, user, input, 'from_decision_row');
  const patientHeader = deps.trx
    .selectFrom('patient')
    .select(['id', 'national_id', 'given_name', 'family_name', 'date_of_birth', 'gender', 'address', 'phone', 'email', 'next_of_kin'])
    .where('id', '=', patientId)
    .where('organisation_id', '=', user.organisationId);
  const corrections = openCorrectionRequestsQuery(deps.trx, user, patientId);

  const { rows } = await sql<StatementRow>`
    with decision as materialized (
      select * from journal_access_decisions(${user.organisationId}::uuid, ${user.userId}::uuid, array[${patientId}::uuid], ${deps.now}::timestamptz)
    ),
    page as materialized ${page},
    event as (
      insert into audit_event (organisation_id, occurred_at, user_id, user_display_name, user_roles, profession, session_id, auth_method, device_id,
                               action, outcome, reason, patient_id, object_type, object_id, basis, details)
      select ${actor.organisationId}::uuid, ${deps.now}::timestamptz, ${actor.userId}::uuid, ${actor.displayName}::text, ${[...actor.roles]}::text[],
             ${actor.profession}::text, ${actor.sessionId}::uuid, ${actor.authMethod}::text, ${actor.deviceId}::text,
             e.action, e.outcome, e.reason, e.patient_id, e.object_type, e.object_id, e.basis, e.details
        from (
          -- Allowed: one event. The open names the notes it showed (journal.record.opened); a later page,
          -- a filter, names its own (journal.notes.read).
          select ${action}::text as action, 'allowed'::text as outcome, null::text as reason, d.patient_id,
                 ${options.withRecord ? 'patient' : 'journal_note'}::text as object_type,
                 case when ${options.withRecord}::boolean then d.patient_id::text end as object_id, d.basis,
                 jsonb_build_object(
                   'noteIds', (select coalesce(jsonb_agg(shown.id order by shown.consultation_date desc, shown.created_at desc, shown.id desc), '[]'::jsonb)
                                 from (select id, consultation_date, created_at from page
                                        order by consultation_date desc, created_at desc, id desc limit ${input.limit}::integer) as shown),
                   'grantId', d.grant_id) || ${JSON.stringify(options.filterCodes)}::jsonb as details
            from decision d
           where d.is_allowed
          union all
          -- ACC-5: a refusal is logged with its coded reason; an unknown id names no patient.
          select ${action}::text, 'denied'::text, d.reason,
                 case when d.reason = 'patient_not_found' then null else d.patient_id end, 'patient'::text, ${patientId}::text, null::text,
                 jsonb_build_object('hasBreakGlassOption', d.has_break_glass_option, 'procedure', ${deps.audit.origin}::text)
            from decision d
           where not d.is_allowed
        ) as e
      returning id
    )
    -- json, not jsonb, for what goes to the caller: built straight as text, without jsonb's binary
    -- form in between (measured: the page as json_agg costs about a quarter less than jsonb_agg).
    select (select to_json(d) from decision d) as decision,
           ${options.withRecord ? sql`(select to_json(p) from ${patientHeader} as p where exists (select 1 from decision where decision.is_allowed))` : sql`null::json`} as patient,
           (select coalesce(json_agg(n order by n.consultation_date desc, n.created_at desc, n.id desc), '[]'::json) from page as n) as notes,
           ${
             options.withRecord
               ? // JRN-4, DPO-4: what the DPO asks to have corrected, for those who write the journal (a read-share only reads).
                 sql`(select coalesce(json_agg(c order by c.requested_at, c.id), '[]'::json) from ${corrections} as c
                       where exists (select 1 from decision where decision.is_allowed and decision.basis <> 'read_share'))`
               : sql`'[]'::json`
           } as correction_requests,
           (select count(*) from event)::integer as events`.execute(deps.trx);

  const row = rows[0];
  // One decision row always (an unknown id is a row too), and as many events as the case writes.
  if (!row?.decision || row.events < 1) throw new Error('the journal read statement returned no decision or wrote no event');
  deps.audit.recordedByStatement(actions);
  const decision = decisionOf({ ...row.decision, access_ends_at: row.decision.access_ends_at });
  if (!decision.isAllowed) {
    // The statement has written the denial: throw the coded refusal (not an AuditedDenial, which
    // would write it a second time). The caller learns nothing about the patient (ACC-5, PLAT-3).
    const notFound = decision.reason === 'patient_not_found';
    throw new DomainError(
      notFound ? 'not_found' : 'forbidden',
      notFound ? API_ERROR_MESSAGES.notFound : decision.reason === 'blocked' ? API_ERROR_MESSAGES.accessBlocked : API_ERROR_MESSAGES.accessNoBasis,
    );
  }
  return {
    decision,
    accessEndsAt: row.decision.access_ends_at === null ? null : new Date(row.decision.access_ends_at),
    patient: row.patient,
    rows: row.notes,
    correctionRequests: row.correction_requests.map((request) => toOpenCorrectionRequest(request, user)),
  };
}
