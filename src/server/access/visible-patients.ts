import type { Executor } from '../db/database';
import { decideJournalAccessForMany } from './decide';

export interface VisiblePatient {
  id: string;
  givenName: string;
  familyName: string;
}

/**
 * Which of these patients the user may see now, with their names (JRN-6's calendar and start
 * page): each goes through the one access decision, so a list never names a patient the user could
 * not open. Patients not returned are to be shown without a name and without their id.
 */
export async function visiblePatients(
  db: Executor,
  who: { organisationId: string; userId: string },
  patientIds: readonly string[],
  now: Date,
): Promise<Map<string, VisiblePatient>> {
  const unique = [...new Set(patientIds)];
  const visible = new Map<string, VisiblePatient>();
  if (unique.length === 0) return visible;
  // One decision for the whole list (at most four round trips), not one per patient.
  const decisions = await decideJournalAccessForMany(db, who, unique, now);
  const admitted = unique.filter((patientId) => decisions.get(patientId)?.isAllowed === true);
  if (admitted.length === 0) return visible;
  const rows = await db
    .selectFrom('patient')
    .select(['id', 'given_name', 'family_name'])
    .where('organisation_id', '=', who.organisationId)
    .where('id', 'in', admitted)
    .execute();
  for (const row of rows) visible.set(row.id, { id: row.id, givenName: row.given_name, familyName: row.family_name });
  return visible;
}
