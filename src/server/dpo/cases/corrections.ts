import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { AuditedDenial } from '../../audit/recorder';
import { fieldError } from '../../errors';
import { addCaseStep } from './repository';

/**
 * The journal's side of a rectification request (JRN-4, DPO-4): the clinician sees the open
 * correction requests in the patient's journal and answers one by amending a note or recording the
 * refusal; the answer is written onto the request and into the case's history in the same
 * transaction as the journal's own change and event.
 */

type Deps = Pick<ServiceDeps, 'trx' | 'now'>;

export interface OpenCorrectionRequest {
  id: string;
  caseReference: string;
  requestedChange: string;
  requestedAt: Date;
  requestedByName: string | null;
  assignedToName: string | null;
  /** Asked of the clinician reading the journal (anyone who writes the journal may answer it). */
  isMine: boolean;
}

/** The patient's open correction requests, oldest first: the query, for the journal read statement to embed. */
export function openCorrectionRequestsQuery(trx: Deps['trx'], user: Pick<SessionUser, 'organisationId'>, patientId: string) {
  return trx
    .selectFrom('dsr_correction_request as request')
    .innerJoin('dsr_case', (join) => join.onRef('dsr_case.organisation_id', '=', 'request.organisation_id').onRef('dsr_case.id', '=', 'request.case_id'))
    .leftJoin('app_user as requester', (join) => join.onRef('requester.organisation_id', '=', 'request.organisation_id').onRef('requester.id', '=', 'request.requested_by'))
    .leftJoin('app_user as assignee', (join) => join.onRef('assignee.organisation_id', '=', 'request.organisation_id').onRef('assignee.id', '=', 'request.assigned_to'))
    .select(['request.id', 'dsr_case.reference', 'request.requested_change', 'request.requested_at', 'request.assigned_to', 'requester.display_name as requested_by_name', 'assignee.display_name as assigned_to_name'])
    .where('request.organisation_id', '=', user.organisationId)
    .where('request.patient_id', '=', patientId)
    .where('request.status', '=', 'open')
    .orderBy('request.requested_at')
    .orderBy('request.id');
}

/** A row of that query (read directly, or as JSON from the statement that embeds it) as the journal shows it. */
export function toOpenCorrectionRequest(
  row: { id: string; reference: string; requested_change: string; requested_at: Date | string; assigned_to: string | null; requested_by_name: string | null; assigned_to_name: string | null },
  user: Pick<SessionUser, 'userId'>,
): OpenCorrectionRequest {
  return {
    id: row.id,
    caseReference: row.reference,
    requestedChange: row.requested_change,
    requestedAt: new Date(row.requested_at),
    requestedByName: row.requested_by_name,
    assignedToName: row.assigned_to_name,
    isMine: row.assigned_to === user.userId,
  };
}

/** The patient's open correction requests, oldest first. */
export async function openCorrectionRequests(deps: Pick<Deps, 'trx'>, user: SessionUser, patientId: string): Promise<OpenCorrectionRequest[]> {
  const rows = await openCorrectionRequestsQuery(deps.trx, user, patientId).execute();
  return rows.map((row) => toOpenCorrectionRequest(row, user));
}

/**
 * The open request an amendment or a recorded refusal answers, locked: this organisation's (else
 * refused as not found, and logged), about this patient, and not answered already.
 */
export async function openCorrectionRequestFor(deps: Pick<Deps, 'trx'>, user: SessionUser, requestId: string, patientId: string) {
  const request = await deps.trx
    .selectFrom('dsr_correction_request')
    .select(['id', 'case_id', 'patient_id', 'status'])
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', requestId)
    .forUpdate()
    .executeTakeFirst();
  if (!request) throw new AuditedDenial({ reason: 'not_found', objectType: 'dsr_correction_request', objectId: requestId }, 'not_found');
  if (request.patient_id !== patientId) throw fieldError('correctionRequestId', 'validation.correction_request_other_patient');
  if (request.status !== 'open') throw fieldError('correctionRequestId', 'validation.correction_request_answered');
  return request;
}

/** Marks the request answered by the note, and writes the answer into the case's history. */
export async function answerCorrectionRequest(
  deps: Deps,
  user: SessionUser,
  request: { id: string; case_id: string },
  answer: { status: 'amended' | 'refused'; noteId: string },
): Promise<{ caseId: string }> {
  await deps.trx
    .updateTable('dsr_correction_request')
    .set({ status: answer.status, answered_by: user.userId, answered_at: deps.now, answer_note_id: answer.noteId })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', request.id)
    .execute();
  const dsrCase = await deps.trx.selectFrom('dsr_case').select(['id', 'organisation_id', 'status']).where('organisation_id', '=', user.organisationId).where('id', '=', request.case_id).executeTakeFirstOrThrow();
  await addCaseStep(deps.trx, dsrCase, user.userId, `correction_${answer.status}`, deps.now);
  return { caseId: dsrCase.id };
}
