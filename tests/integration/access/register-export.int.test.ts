import { describe, expect, it } from 'vitest';
import { totpCodeAt } from '../../../src/server/auth/totp';
import type { Role } from '../../../src/shared/roles';
import { errorOf } from '../audit/audit-helpers';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';

// ACC-6 (Normen Faktaark 47, NORMEN-NOTES R-PJL-3): the authorisation register is exportable; the
// export is produced by the backend, needs a fresh second factor (AUTH-5) and is logged with the
// client's address (AUD-2), like printing.

const CLIENT_IP = '203.0.113.7';

async function setting(database: TestDatabase) {
  const { db } = database;
  const clock = new TestClock();
  const organisation = await createOrganisation(db);
  const subject = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Pia Psykolog' });
  const clinicianCaller = callerAs(database, (await login(database, subject, clock)).token, clock);
  const { patientId } = await clinicianCaller.patients.register({ nationalId: '15076500050', givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  const as = async (role: Role) => {
    const user = await createUser(db, organisation.id, { roles: [role] });
    return { user, caller: callerAs(database, (await login(database, user, clock)).token, clock, { clientIp: CLIENT_IP }) };
  };
  return { clock, organisation, subject, patientId, as };
}

describe('ACC-6: exporting the authorisation register', () => {
  const database = useTestDatabase();

  it('ACC-6/AUD-2: an admin with a fresh second factor gets the JSON the backend made; the export event holds the client IP, ids and counts', async () => {
    const { subject, patientId, as } = await setting(database.current);
    const { caller, user } = await as('admin');
    const file = await caller.access.exportRegister({ userId: subject.id, format: 'json' });
    expect(file).toMatchObject({ mimeType: 'application/json', fileName: expect.stringMatching(/^tilgangsregister-Pia Psykolog-\d{4}-\d{2}-\d{2}\.json$/) });
    const document = JSON.parse(file.content) as Record<string, unknown>;
    expect(document).toMatchObject({
      kind: 'journalkontor.authorisation-register',
      exportedBy: { id: user.id },
      user: { id: subject.id, displayName: 'Pia Psykolog' },
      roles: [expect.objectContaining({ role: 'clinician', until: null })],
      treatmentRelationships: [expect.objectContaining({ patientId, kind: 'care_team' })],
    });
    // The same data the register view shows.
    const shown = await caller.access.register({ userId: subject.id });
    expect({ user: document.user, roles: document.roles, treatmentRelationships: document.treatmentRelationships, readShares: document.readShares, breakGlass: document.breakGlass }).toEqual(shown);

    const events = await eventsOf(database.current.db, { action: 'access.register.exported' });
    expect(events).toEqual([
      expect.objectContaining({
        user_id: user.id,
        outcome: 'allowed',
        object_type: 'user',
        object_id: subject.id,
        patient_id: null,
        client_ip: CLIENT_IP,
        details: { format: 'json', roles: 1, treatmentRelationships: 1, readShares: 0, breakGlass: 0 },
      }),
    ]);
    // AUD-2: only the export holds the address, not the read beside it.
    expect(await eventsOf(database.current.db, { action: 'access.register.read' })).toEqual([expect.objectContaining({ client_ip: null })]);
  });

  it('ACC-6: the DPO may export it as CSV: quoted fields, one row per grant, formulas defused', async () => {
    const { subject, patientId, as } = await setting(database.current);
    const { caller } = await as('dpo');
    // A display name a spreadsheet would run as a formula.
    await database.current.asOwner((owner) => owner.updateTable('app_user').set({ display_name: '=HYPERLINK("http://x")' }).where('id', '=', subject.id).execute());
    const file = await caller.access.exportRegister({ userId: subject.id, format: 'csv' });
    expect(file.mimeType).toBe('text/csv');
    expect(file.fileName.endsWith('.csv')).toBe(true);
    const lines = file.content.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('"section","id","kind","from","until","text"');
    expect(lines[1]).toBe(`"user","${subject.id}","lege","","","'=HYPERLINK(""http://x"")"`);
    expect(lines.slice(2).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([`"role","clinician",""`, `"treatment_relationship","${patientId}","care_team"`]);
    expect((await eventsOf(database.current.db, { action: 'access.register.exported' }))[0]).toMatchObject({ client_ip: CLIENT_IP, details: { format: 'csv' } });
  });

  it('AUTH-5, ACC-5: without a second factor in the last 5 minutes the export is refused, nothing is made and the attempt is logged as denied; after step-up it goes through', async () => {
    const { clock, subject, as } = await setting(database.current);
    const { caller, user } = await as('admin');
    clock.advance(6 * 60_000);
    expect(await errorOf(caller.access.exportRegister({ userId: subject.id, format: 'json' }))).toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
    expect(await eventsOf(database.current.db, { action: 'access.register.exported' })).toEqual([expect.objectContaining({ outcome: 'denied', reason: 'step_up_required', client_ip: CLIENT_IP })]);
    await caller.auth.session.stepUp({ code: await totpCodeAt(user.totpSecret, clock.now()) });
    await caller.access.exportRegister({ userId: subject.id, format: 'json' });
    expect((await eventsOf(database.current.db, { action: 'access.register.exported' })).map((event) => [event.outcome, event.client_ip])).toEqual([
      ['denied', CLIENT_IP],
      ['allowed', CLIENT_IP],
    ]);
  });

  it.each(['clinician', 'coordinator', 'sales'] as const)('ACC-1/ACC-6: a %s may not export the register (refused by role, logged)', async (role) => {
    const { subject, as } = await setting(database.current);
    const { caller, user } = await as(role);
    expect(await errorOf(caller.access.exportRegister({ userId: subject.id, format: 'json' }))).toMatchObject({ code: 'FORBIDDEN', message: 'auth.forbidden' });
    expect(await eventsOf(database.current.db, { action: 'access.denied', userId: user.id })).toEqual([expect.objectContaining({ reason: 'role_not_admitted', details: { procedure: 'access.exportRegister' } })]);
    expect(await eventsOf(database.current.db, { action: 'access.register.exported' })).toEqual([]);
  });

  it('ACC-6/ACC-1: another organisation’s user id answers exactly like a made-up id, and the refusal is logged', async () => {
    const { as } = await setting(database.current);
    const { caller } = await as('admin');
    const elsewhere = await createOrganisation(database.current.db);
    const foreign = await createUser(database.current.db, elsewhere.id, { roles: ['clinician'] });
    const foreignError = await errorOf(caller.access.exportRegister({ userId: foreign.id, format: 'json' }));
    const madeUpError = await errorOf(caller.access.exportRegister({ userId: '6f1c2b1e-0000-4000-8000-000000000000', format: 'json' }));
    expect(foreignError).toMatchObject({ code: 'NOT_FOUND', message: 'error.not_found' });
    expect({ code: madeUpError.code, message: madeUpError.message }).toEqual({ code: foreignError.code, message: foreignError.message });
    const events = await eventsOf(database.current.db, { action: 'access.register.exported' });
    expect(events.map((event) => [event.outcome, event.reason, event.object_id])).toEqual([
      ['denied', 'not_found', foreign.id],
      ['denied', 'not_found', '6f1c2b1e-0000-4000-8000-000000000000'],
    ]);
  });
});
