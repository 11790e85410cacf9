import { sql } from 'kysely';
import type { Executor } from '../db/database';

/**
 * "Tjenstlig behov" (ACC-2…4): the one decision whether a user may open a patient's journal, and on
 * what basis (a database function, see decideJournalAccessForMany). Every journal read goes through it; its answer is written into the
 * read's audit event as the basis.
 *
 * Order matters: a block ("sperring") holds against every basis, break-glass included (ACC-4);
 * then the strongest ordinary basis wins (treatment relationship, then read-share); break-glass is
 * the last resort, and only once the clinician has invoked it. A data-subject request (DPO-5) is
 * rarer still and asked last: the DPO may read a patient's journal only while an open access or
 * portability case names that patient, with the case as the logged basis — a basis of this one
 * decision, never a bypass of it, so a block holds against it too (the block binds the named person
 * handling the case: another DPO must prepare the package; docs/adr/0016-fhir-exports.md).
 */
export type AccessBasis = 'treatment_relationship' | 'read_share' | 'break_glass' | 'dsr_case';

export type AccessDecision =
  | {
      isAllowed: true;
      basis: AccessBasis;
      /** Which relationship, share or break-glass grant it rests on. */
      grantId: string;
      /** A read-share of chosen notes admits only those; null means the whole journal. */
      onlyNoteIds: string[] | null;
      /** Notes a partial block hides from this user: they exist, the user may not see them. */
      blockedNoteIds: string[];
    }
  | { isAllowed: false; reason: 'patient_not_found' | 'blocked' | 'no_basis'; hasBreakGlassOption: boolean };

/** ACC-3: how long break-glass access lasts. */
export const BREAK_GLASS_DURATION_MS = 4 * 60 * 60 * 1000;

/**
 * The decision for one patient: see decideJournalAccessForMany, of which this is the one-patient case.
 */
export async function decideJournalAccess(
  db: Executor,
  who: { organisationId: string; userId: string },
  patientId: string,
  now: Date,
): Promise<AccessDecision> {
  const decisions = await decideJournalAccessForMany(db, who, [patientId], now);
  return decisions.get(patientId) ?? { isAllowed: false, reason: 'patient_not_found', hasBreakGlassOption: false };
}

/** A row of the database function `journal_access_decisions` (migrations/2026-12-10T10-00_journal_access_function.ts). */
export interface AccessDecisionRow {
  patient_id: string;
  is_allowed: boolean;
  basis: AccessBasis | null;
  grant_id: string | null;
  only_note_ids: string[] | null;
  blocked_note_ids: string[] | null;
  access_ends_at: Date | string | null;
  reason: 'patient_not_found' | 'blocked' | 'no_basis' | null;
  has_break_glass_option: boolean | null;
}

/**
 * The rules themselves are one SQL function in the database, `journal_access_decisions`
 * (ADR 0017): opening a journal runs it inside the statement that reads the record and writes the
 * read's event (journal/read-statement.ts), and everything else that decides — a list that names
 * patients (start page, calendar, search, Min aktivitet), break-glass, the gates of every journal
 * action — calls it here, in one round trip whatever the number of patients. No rule is repeated in
 * TypeScript: this only reads the function's rows.
 */
export async function decideJournalAccessForMany(
  db: Executor,
  who: { organisationId: string; userId: string },
  patientIds: readonly string[],
  now: Date,
): Promise<Map<string, AccessDecision>> {
  const decisions = new Map<string, AccessDecision>();
  const ids = [...new Set(patientIds)];
  if (ids.length === 0) return decisions;
  const { rows } = await sql<AccessDecisionRow>`select * from journal_access_decisions(${who.organisationId}, ${who.userId}, ${ids}::uuid[], ${now})`.execute(db);
  for (const row of rows) decisions.set(row.patient_id, decisionOf(row));
  for (const id of ids) if (!decisions.has(id)) decisions.set(id, { isAllowed: false, reason: 'patient_not_found', hasBreakGlassOption: false });
  return decisions;
}

/** The function's row as the decision services use. */
export function decisionOf(row: AccessDecisionRow): AccessDecision {
  if (row.is_allowed && row.basis && row.grant_id) {
    return { isAllowed: true, basis: row.basis, grantId: row.grant_id, onlyNoteIds: row.only_note_ids, blockedNoteIds: row.blocked_note_ids ?? [] };
  }
  return { isAllowed: false, reason: row.reason ?? 'no_basis', hasBreakGlassOption: row.has_break_glass_option ?? false };
}
