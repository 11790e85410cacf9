import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../db/database';

/**
 * "Tjenstlig behov" (ACC-2…4): the one function that decides whether a user may open a patient's
 * journal, and on what basis. Every journal read goes through it; its answer is written into the
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

/** A consultation or home visit makes a treatment relationship this long before and after it. */
export const APPOINTMENT_WINDOW_DAYS = { before: 14, after: 90 } as const;
/** ACC-3: how long break-glass access lasts. */
export const BREAK_GLASS_DURATION_MS = 4 * 60 * 60 * 1000;

/**
 * The decision for one patient. The common path is one round trip (every journal read runs this;
 * measured by `npm run bench -- --only=journal`): see decideJournalAccessForMany, of which this is the
 * one-patient case, so the rules exist once.
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

/**
 * The decision for each of several patients (a list that names patients — the start page, the
 * calendar, search results, Min aktivitet — decides for all of them at once), in at most four round
 * trips whatever the number of patients: one statement reads each patient, the user's open blocks
 * and a current care relationship, which is where almost every decision ends; only the patients
 * still without a basis go on to the rarer bases, one statement per kind of basis for all of them,
 * in order. Not one statement for everything: planning the rare bases' subqueries on every read
 * cost more than the round trips it saved (measured). A patient of another organisation, or none,
 * is answered `patient_not_found`, like a made-up id.
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
  const { rows } = await sql<{ patient_id: string; blocks: { scope: string; noteIds: string[] }[] | null; relationship_id: string | null }>`
    select patient.id as patient_id,
           (select json_agg(json_build_object('scope', block.scope, 'noteIds', block.note_ids))
              from patient_block as block
             where block.patient_id = patient.id
               and block.blocked_user_id = ${who.userId}
               and block.lifted_at is null) as blocks,
           (select relationship.id
              from care_relationship as relationship
             where relationship.patient_id = patient.id
               and relationship.user_id = ${who.userId}
               and relationship.starts_at <= ${now}
               and (relationship.ends_at is null or relationship.ends_at > ${now})
             limit 1) as relationship_id
      from patient
     where ${isOneOf(sql.ref('patient.id'), ids)}
       and patient.organisation_id = ${who.organisationId}`.execute(db);

  /** Patients with no basis yet, and the notes a partial block hides from this user in each. */
  const undecided = new Map<string, string[]>();
  for (const row of rows) {
    const blocks = row.blocks ?? [];
    if (blocks.some((block) => block.scope === 'whole_journal')) {
      decisions.set(row.patient_id, { isAllowed: false, reason: 'blocked', hasBreakGlassOption: false });
      continue;
    }
    const blockedNoteIds = [...new Set(blocks.flatMap((block) => block.noteIds))];
    if (row.relationship_id) decisions.set(row.patient_id, allowed('treatment_relationship', row.relationship_id, null, blockedNoteIds));
    else undecided.set(row.patient_id, blockedNoteIds);
  }
  for (const id of ids) if (!decisions.has(id) && !undecided.has(id)) decisions.set(id, { isAllowed: false, reason: 'patient_not_found', hasBreakGlassOption: false });

  const settle = (found: { patient_id: string; id: string }[], decide: (row: { patient_id: string; id: string }, blockedNoteIds: string[]) => AccessDecision) => {
    for (const row of found) {
      const blockedNoteIds = undecided.get(row.patient_id);
      if (!blockedNoteIds) continue;
      decisions.set(row.patient_id, decide(row, blockedNoteIds));
      undecided.delete(row.patient_id);
    }
  };

  if (undecided.size > 0) {
    const appointments = await db
      .selectFrom('appointment')
      .select(['patient_id', 'id'])
      .distinctOn('patient_id')
      .where(isOneOf(sql.ref('patient_id'), [...undecided.keys()]))
      .where('clinician_id', '=', who.userId)
      .where('status', '!=', 'cancelled')
      .where('starts_at', '<=', sql<Date>`${now}::timestamptz + make_interval(days => ${APPOINTMENT_WINDOW_DAYS.before})`)
      .where('starts_at', '>=', sql<Date>`${now}::timestamptz - make_interval(days => ${APPOINTMENT_WINDOW_DAYS.after})`)
      .orderBy('patient_id')
      .execute();
    settle(appointments, (row, blockedNoteIds) => allowed('treatment_relationship', row.id, null, blockedNoteIds));
  }

  if (undecided.size > 0) {
    const shares = await db
      .selectFrom('read_share')
      .innerJoin('patient_consent', 'patient_consent.id', 'read_share.consent_id')
      .select(['read_share.patient_id', 'read_share.id', 'read_share.scope', 'read_share.note_ids'])
      .distinctOn('read_share.patient_id')
      .where(isOneOf(sql.ref('read_share.patient_id'), [...undecided.keys()]))
      .where('read_share.grantee_id', '=', who.userId)
      .where('read_share.revoked_at', 'is', null)
      .where('read_share.starts_at', '<=', now)
      .where('read_share.ends_at', '>', now)
      // SHR-3: withdrawing the consent ends the share at once.
      .where('patient_consent.withdrawn_at', 'is', null)
      .orderBy('read_share.patient_id')
      .orderBy('read_share.scope', 'desc') // 'whole_journal' before 'selected_notes'
      .execute();
    const scopeOf = new Map(shares.map((share) => [share.id, share]));
    settle(shares, (row, blockedNoteIds) => {
      const share = scopeOf.get(row.id);
      return allowed('read_share', row.id, share?.scope === 'whole_journal' ? null : (share?.note_ids ?? []), blockedNoteIds);
    });
  }

  if (undecided.size > 0) {
    const grants = await db
      .selectFrom('break_glass_access')
      .select(['patient_id', 'id'])
      .distinctOn('patient_id')
      .where(isOneOf(sql.ref('patient_id'), [...undecided.keys()]))
      .where('user_id', '=', who.userId)
      .where('started_at', '<=', now)
      .where('expires_at', '>', now)
      .where('ended_at', 'is', null)
      .orderBy('patient_id')
      .execute();
    settle(grants, (row, blockedNoteIds) => allowed('break_glass', row.id, null, blockedNoteIds));
  }

  if (undecided.size > 0) {
    // DPO-5: only a DPO's session ever gets here with an open case; for everyone else this finds
    // nothing (the case table is tiny and indexed by organisation), after the other bases failed.
    const cases = await db
      .selectFrom('dsr_case')
      .innerJoin('role_grant', (join) =>
        join.on('role_grant.user_id', '=', who.userId).on('role_grant.role', '=', 'dpo').on('role_grant.revoked_at', 'is', null),
      )
      .select(['dsr_case.patient_id', 'dsr_case.id'])
      .distinctOn('dsr_case.patient_id')
      .where(isOneOf(sql.ref('dsr_case.patient_id'), [...undecided.keys()]))
      .where('dsr_case.organisation_id', '=', who.organisationId)
      .where('dsr_case.kind', 'in', ['access', 'portability'])
      .where('dsr_case.status', 'not in', ['completed', 'denied'])
      .orderBy('dsr_case.patient_id')
      .orderBy('dsr_case.received_on')
      .execute();
    settle(
      cases.flatMap((row) => (row.patient_id ? [{ patient_id: row.patient_id, id: row.id }] : [])),
      (row, blockedNoteIds) => allowed('dsr_case', row.id, null, blockedNoteIds),
    );
  }

  for (const id of undecided.keys()) decisions.set(id, { isAllowed: false, reason: 'no_basis', hasBreakGlassOption: true });
  return decisions;
}

/**
 * `column = $1` for one id (the journal's hot path: its prepared plan is an index lookup by key,
 * measured 55 µs of PostgreSQL CPU per decision against 190 µs with a one-element array), else
 * `column = any($1::uuid[])`: one statement text for any number of ids, prepared once per
 * connection, where an `in` list would make a new text for every length.
 */
function isOneOf(column: RawBuilder<unknown>, ids: readonly string[]): RawBuilder<boolean> {
  return ids.length === 1 ? sql<boolean>`${column} = ${ids[0]}` : sql<boolean>`${column} = any(${ids}::uuid[])`;
}

function allowed(basis: AccessBasis, grantId: string, onlyNoteIds: string[] | null, blockedNoteIds: string[]): AccessDecision {
  return { isAllowed: true, basis, grantId, onlyNoteIds, blockedNoteIds };
}
