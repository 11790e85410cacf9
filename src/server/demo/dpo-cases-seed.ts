import { dsrDeadline } from '../../shared/dsr-deadline';
import { osloCalendarDate } from '../../shared/oslo-time';
import type { SecretBox } from '../auth/secret-box';
import type { Executor } from '../db/database';
import { protectNationalId } from '../portal/national-id';

/**
 * The demo's data-subject requests (DPO-4), with fixed ids so a walkthrough (and the end-to-end
 * tests) can open them by address: an access request from a journal patient, an erasure request
 * from someone who booked a home visit, and a restriction request close to its deadline.
 */
export const DEMO_DSR_CASE_IDS = {
  access: 'd5a00000-0000-4000-8000-000000000001',
  erasure: 'd5a00000-0000-4000-8000-000000000002',
  restriction: 'd5a00000-0000-4000-8000-000000000003',
} as const;

const DAY_MS = 86_400_000;

export async function seedDemoDsrCases(trx: Executor, people: { organisationId: string; dpo: string }, secretBox: SecretBox, now: Date): Promise<void> {
  const daysAgo = (days: number) => osloCalendarDate(new Date(now.getTime() - days * DAY_MS));
  const year = osloCalendarDate(now).slice(0, 4);
  const ola = await trx
    .selectFrom('patient')
    .select(['id', 'national_id', 'given_name', 'family_name', 'phone'])
    .where('organisation_id', '=', people.organisationId)
    .where('family_name', '=', 'Hansen')
    .where('given_name', '=', 'Ola')
    .executeTakeFirstOrThrow();
  const verified = { identity_verified_by: people.dpo, identity_verified_at: new Date(now.getTime() - 2 * DAY_MS) };
  const cases = [
    {
      id: DEMO_DSR_CASE_IDS.access,
      kind: 'access' as const,
      received: daysAgo(10),
      channel: 'letter' as const,
      requester_name: `${ola.given_name} ${ola.family_name}`,
      ...protectNationalId(secretBox, DEMO_DSR_CASE_IDS.access, ola.national_id),
      email: null,
      phone: ola.phone,
      patient_id: ola.id,
      identity_method: 'bankid' as const,
      ...verified,
      status: 'in_progress' as const,
    },
    {
      id: DEMO_DSR_CASE_IDS.erasure,
      kind: 'erasure' as const,
      received: daysAgo(6),
      channel: 'email' as const,
      requester_name: 'Eva Moen',
      national_id_sealed: null,
      national_id_hmac: null,
      national_id_masked: null,
      email: 'eva.moen@eksempel.no',
      phone: '+4795566778',
      patient_id: null,
      identity_method: 'known_contact' as const,
      ...verified,
      status: 'in_review' as const,
    },
    {
      id: DEMO_DSR_CASE_IDS.restriction,
      kind: 'restriction' as const,
      received: daysAgo(27),
      channel: 'email' as const,
      requester_name: 'Jonas Berg',
      national_id_sealed: null,
      national_id_hmac: null,
      national_id_masked: null,
      email: 'jonas.berg@fjellheim-bygg.example',
      phone: null,
      patient_id: null,
      identity_method: null,
      identity_verified_by: null,
      identity_verified_at: null,
      status: 'received' as const,
    },
  ];
  let number = 0;
  for (const { received, ...row } of cases) {
    number++;
    await trx
      .insertInto('dsr_case')
      .values({
        ...row,
        organisation_id: people.organisationId,
        reference: `DSR-${year}-${String(number).padStart(4, '0')}`,
        received_on: received,
        deadline: dsrDeadline(received),
        created_by: people.dpo,
        created_at: new Date(`${received}T09:00:00Z`),
        updated_at: now,
      })
      .execute();
    await trx
      .insertInto('dsr_case_step')
      .values({ case_id: row.id, organisation_id: people.organisationId, status: row.status, reason: null, changed_by: people.dpo, changed_at: now })
      .execute();
  }
}
