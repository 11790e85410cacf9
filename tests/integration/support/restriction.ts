import type { RestrictionModule } from '../../../src/shared/dsr-schemas';
import { callerAs, createUser, login, type TestClock } from './identity';
import type { TestDatabase } from './test-database';

/**
 * DPO-5: a restriction of processing set the way the DPO sets it — a restriction request registered
 * for the person (any of fødselsnummer, e-mail, phone) and the restriction set on the modules —
 * through the procedures, by a DPO of the organisation made for the purpose. `lift` lifts it.
 */
export async function restrictPerson(
  database: TestDatabase,
  clock: TestClock,
  organisationId: string,
  person: { nationalId?: string; email?: string; phone?: string },
  modules: RestrictionModule[],
): Promise<{ restrictionId: string; caseId: string; lift: () => Promise<void> }> {
  const dpoUser = await createUser(database.db, organisationId, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const dpo = callerAs(database, (await login(database, dpoUser, clock)).token, clock);
  const created = await dpo.dpo.cases.create({
    kind: 'restriction',
    receivedOn: clock.now().toISOString().slice(0, 10),
    channel: 'letter',
    requesterName: 'Den registrerte',
    confirmNotDuplicate: true,
    ...person,
  });
  if (!created.created) throw new Error('the restriction request was not registered');
  const { id: restrictionId } = await dpo.dpo.cases.setRestriction({ caseId: created.id, modules });
  return { restrictionId, caseId: created.id, lift: async () => void (await dpo.dpo.cases.liftRestriction({ restrictionId })) };
}
