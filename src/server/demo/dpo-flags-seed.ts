import { type AuditActor, type AuditEventInput, writeAuditEvent } from '../audit/record';
import type { SecretBox } from '../auth/secret-box';
import type { Executor } from '../db/database';
import { BREAK_GLASS_DURATION_MS } from '../access/decide';
import { nationalIdHmac } from '../portal/national-id';
import { syntheticNationalId } from './journal-seed';

const DAY_MS = 86_400_000;

/** Pia Psykolog as a patient of the clinic (synthetic number): the demo's own_record flag, and a patient Lars Lege has no relationship with. */
export const DEMO_CLINICIAN_PATIENT = { givenName: 'Pia', familyName: 'Psykolog', dateOfBirth: '1986-04-12', nationalId: syntheticNationalId('1986-04-12', 61, 'female') } as const;

/**
 * DPO-2 in the demo: a few journal accesses the flags job will flag once they are sealed (written
 * as the journal and break-glass write them, with times in the past weeks so the trend has bars):
 * - Pia Psykolog is also a patient of the clinic (her fødselsnummer's keyed hash on her user, as
 *   the own_record rule needs), and used break-glass to open her own record: break_glass, own_record;
 * - Lars Lege used break-glass for Åse Ødegård ten days ago: break_glass;
 * - Lars Lege opened Per Berg's record late on a Sunday evening: outside_hours.
 * Only for a new demo (called inside the seed's first run).
 */
export async function seedDemoFlags(trx: Executor, people: { organisationId: string; lege: string; psykolog: string }, secretBox: SecretBox, now: Date): Promise<void> {
  const { nationalId } = DEMO_CLINICIAN_PATIENT;
  const pia = await trx
    .insertInto('patient')
    .values({ organisation_id: people.organisationId, national_id: nationalId, given_name: 'Pia', family_name: 'Psykolog', date_of_birth: '1986-04-12', gender: 'female', address: null, phone: '+4790000003', email: null, next_of_kin: null, created_by: people.lege })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.updateTable('app_user').set({ national_id_hmac: nationalIdHmac(secretBox, nationalId) }).where('organisation_id', '=', people.organisationId).where('id', '=', people.psykolog).execute();
  const patientOf = async (givenName: string, familyName: string) =>
    (
      await trx
        .selectFrom('patient')
        .select('id')
        .where('organisation_id', '=', people.organisationId)
        .where('given_name', '=', givenName)
        .where('family_name', '=', familyName)
        .executeTakeFirstOrThrow()
    ).id;
  const ase = await patientOf('Åse', 'Ødegård');
  const per = await patientOf('Per', 'Berg');
  const actor = (userId: string, displayName: string, profession: string): AuditActor => ({
    organisationId: people.organisationId,
    userId,
    displayName,
    roles: ['clinician'],
    profession,
    sessionId: null,
    authMethod: 'password',
    deviceId: null,
  });
  const lars = actor(people.lege, 'Lars Lege', 'lege');
  const piaUser = actor(people.psykolog, 'Pia Psykolog', 'psykolog');
  const write = (who: AuditActor, at: Date, event: AuditEventInput) => writeAuditEvent(trx, who, event, { now: at, clientIp: undefined });
  const breakGlass = async (who: AuditActor, patientId: string, at: Date) => {
    const expiresAt = new Date(at.getTime() + BREAK_GLASS_DURATION_MS);
    const grant = await trx
      .insertInto('break_glass_access')
      .values({ organisation_id: people.organisationId, patient_id: patientId, user_id: who.userId ?? '', reason_code: 'emergency_treatment', reason_text: null, started_at: at, expires_at: expiresAt, ended_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await write(who, at, { action: 'access.break_glass', patientId, objectType: 'break_glass', objectId: grant.id, basis: 'break_glass', reason: 'emergency_treatment', details: { flag: 'dpo_review', expiresAt: expiresAt.toISOString() } });
    await write(who, new Date(at.getTime() + 60_000), { action: 'journal.record.opened', patientId, objectType: 'patient', objectId: patientId, basis: 'break_glass', details: { grantId: grant.id } });
  };
  // Midday in Oslo a number of days ago (12:00 UTC is 13:00 or 14:00 there).
  const daysAgo = (days: number, hourUtc = 12) => {
    const day = new Date(now.getTime() - days * DAY_MS);
    return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hourUtc, 10));
  };
  await breakGlass(piaUser, pia.id, daysAgo(3));
  await breakGlass(lars, ase, daysAgo(10));
  // The Sunday before last, 22:10 UTC (23:10 in Oslo in winter, 00:10 on Monday in summer): outside working hours either way.
  const lastWeek = daysAgo(7 + new Date(now).getUTCDay(), 22);
  await write(lars, lastWeek, { action: 'journal.record.opened', patientId: per, objectType: 'patient', objectId: per, basis: 'treatment_relationship' });
}
