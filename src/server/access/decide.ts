import { sql } from 'kysely';
import type { Executor } from '../db/database';

/**
 * "Tjenstlig behov" (ACC-2…4): the one function that decides whether a user may open a patient's
 * journal, and on what basis. Every journal read goes through it; its answer is written into the
 * read's audit event as the basis.
 *
 * Order matters: a block ("sperring") holds against every basis, break-glass included (ACC-4);
 * then the strongest ordinary basis wins (treatment relationship, then read-share); break-glass is
 * the last resort, and only once the clinician has invoked it.
 */
export type AccessBasis = 'treatment_relationship' | 'read_share' | 'break_glass';

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
 * The common path in one round trip (every journal read runs this; measured by `npm run bench --
 * --only=journal`): one statement reads the patient, the user's open blocks and a current care
 * relationship, which is where almost every read ends. Only without a relationship are the rarer
 * bases looked up, one statement each, in order. Not one statement for everything: planning the
 * rare bases' subqueries on every read cost more than the round trips it saved (measured).
 */
export async function decideJournalAccess(
  db: Executor,
  who: { organisationId: string; userId: string },
  patientId: string,
  now: Date,
): Promise<AccessDecision> {
  const { rows } = await sql<{ blocks: { scope: string; noteIds: string[] }[] | null; relationship_id: string | null }>`
    select (select json_agg(json_build_object('scope', block.scope, 'noteIds', block.note_ids))
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
     where patient.id = ${patientId}
       and patient.organisation_id = ${who.organisationId}`.execute(db);
  const row = rows[0];
  if (!row) return { isAllowed: false, reason: 'patient_not_found', hasBreakGlassOption: false };

  const blocks = row.blocks ?? [];
  if (blocks.some((block) => block.scope === 'whole_journal')) {
    return { isAllowed: false, reason: 'blocked', hasBreakGlassOption: false };
  }
  const blockedNoteIds = [...new Set(blocks.flatMap((block) => block.noteIds))];

  if (row.relationship_id) return allowed('treatment_relationship', row.relationship_id, null, blockedNoteIds);

  const appointment = await db
    .selectFrom('appointment')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('clinician_id', '=', who.userId)
    .where('status', '!=', 'cancelled')
    .where('starts_at', '<=', sql<Date>`${now}::timestamptz + make_interval(days => ${APPOINTMENT_WINDOW_DAYS.before})`)
    .where('starts_at', '>=', sql<Date>`${now}::timestamptz - make_interval(days => ${APPOINTMENT_WINDOW_DAYS.after})`)
    .limit(1)
    .executeTakeFirst();
  if (appointment) return allowed('treatment_relationship', appointment.id, null, blockedNoteIds);

  const share = await db
    .selectFrom('read_share')
    .innerJoin('patient_consent', 'patient_consent.id', 'read_share.consent_id')
    .select(['read_share.id', 'read_share.scope', 'read_share.note_ids'])
    .where('read_share.patient_id', '=', patientId)
    .where('read_share.grantee_id', '=', who.userId)
    .where('read_share.revoked_at', 'is', null)
    .where('read_share.starts_at', '<=', now)
    .where('read_share.ends_at', '>', now)
    // SHR-3: withdrawing the consent ends the share at once.
    .where('patient_consent.withdrawn_at', 'is', null)
    .orderBy('read_share.scope', 'desc') // 'whole_journal' before 'selected_notes'
    .limit(1)
    .executeTakeFirst();
  if (share) return allowed('read_share', share.id, share.scope === 'whole_journal' ? null : share.note_ids, blockedNoteIds);

  const breakGlass = await db
    .selectFrom('break_glass_access')
    .select('id')
    .where('patient_id', '=', patientId)
    .where('user_id', '=', who.userId)
    .where('started_at', '<=', now)
    .where('expires_at', '>', now)
    .where('ended_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  if (breakGlass) return allowed('break_glass', breakGlass.id, null, blockedNoteIds);

  return { isAllowed: false, reason: 'no_basis', hasBreakGlassOption: true };
}

function allowed(basis: AccessBasis, grantId: string, onlyNoteIds: string[] | null, blockedNoteIds: string[]): AccessDecision {
  return { isAllowed: true, basis, grantId, onlyNoteIds, blockedNoteIds };
}
