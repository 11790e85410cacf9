import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { hasPdftotext, pdfText } from './report-support';

const activity = {
  name: 'Pasientjournal',
  purpose: 'Dokumentere helsehjelp',
  legalBases: ['gdpr_6_1_c', 'gdpr_9_2_h'] as ('gdpr_6_1_c' | 'gdpr_9_2_h')[],
  legalBasisLaw: 'helsepersonelloven § 39, pasientjournalloven',
  dataCategories: 'Helseopplysninger, kontaktopplysninger',
  dataSubjects: 'Pasienter',
  retention: 'Etter helsearkivloven',
  recipients: null,
  securityMeasures: 'Tofaktor, tilgangsstyring, logg',
};

async function setting(database: { current: Parameters<typeof login>[0] }) {
  const clock = new TestClock();
  const db = database.current.db;
  const organisation = await createOrganisation(db, 'Registerklinikken AS');
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const adminUser = await createUser(db, organisation.id, { roles: ['admin'] });
  const clinicianUser = await createUser(db, organisation.id, { roles: ['clinician'] });
  const as = async (user: TestUser, clientIp?: string) => callerAs(database.current, (await login(database.current, user, clock)).token, clock, clientIp ? { clientIp } : {});
  return { clock, db, organisation, dpoUser, dpo: await as(dpoUser, '203.0.113.9'), admin: await as(adminUser), clinician: await as(clinicianUser), as };
}

describe('the registers (DPO-7)', () => {
  const database = useTestDatabase();

  it('DPO-7: processors and activities are created, read, updated with their version, and removed; each change is logged', async () => {
    const s = await setting(database);
    const processor = await s.dpo.dpo.registers.createProcessor({ name: 'Skyleverandør AS', service: 'Drift av servere', country: 'no', transferBasis: null, agreementDate: '2025-03-01', contact: 'dpa@sky.example' });
    const created = await s.dpo.dpo.registers.createActivity({ ...activity, processorIds: [processor.id] });
    const read = await s.admin.dpo.registers.list();
    expect(read.processors).toEqual([expect.objectContaining({ id: processor.id, name: 'Skyleverandør AS', country: 'NO', isOutsideEea: false, agreementDate: '2025-03-01', version: 1 })]);
    expect(read.activities).toEqual([expect.objectContaining({ id: created.id, legalBases: ['gdpr_6_1_c', 'gdpr_9_2_h'], processorIds: [processor.id], version: 1, updatedByName: 'Petter Personvern' })]);

    const updated = await s.dpo.dpo.registers.updateActivity({ activityId: created.id, version: 1, ...activity, name: 'Pasientjournal og timebok', processorIds: [] });
    expect(updated.version).toBe(2);
    // A stale version is refused and changes nothing.
    await expect(s.dpo.dpo.registers.updateActivity({ activityId: created.id, version: 1, ...activity, name: 'Gammel', processorIds: [] })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await s.dpo.dpo.registers.list()).activities[0]).toMatchObject({ name: 'Pasientjournal og timebok', processorIds: [], version: 2 });

    // Outside the EEA a transfer basis is required.
    await expect(s.dpo.dpo.registers.updateProcessor({ processorId: processor.id, version: 1, name: 'Skyleverandør AS', service: 'Drift', country: 'US', transferBasis: null, agreementDate: null, contact: null })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const moved = await s.dpo.dpo.registers.updateProcessor({ processorId: processor.id, version: 1, name: 'Skyleverandør AS', service: 'Drift', country: 'US', transferBasis: 'standard_contractual_clauses', agreementDate: null, contact: null });
    expect(moved.version).toBe(2);
    expect((await s.dpo.dpo.registers.list()).processors[0]).toMatchObject({ isOutsideEea: true, transferBasis: 'standard_contractual_clauses' });

    // A processor in use cannot go; once the activity is gone it can.
    await s.dpo.dpo.registers.updateActivity({ activityId: created.id, version: 2, ...activity, processorIds: [processor.id] });
    await expect(s.dpo.dpo.registers.removeProcessor({ processorId: processor.id, version: 2 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await s.dpo.dpo.registers.removeActivity({ activityId: created.id, version: 3 });
    await s.dpo.dpo.registers.removeProcessor({ processorId: processor.id, version: 2 });
    expect(await s.dpo.dpo.registers.list()).toEqual({ activities: [], processors: [] });

    const saved = await eventsOf(s.db, { action: 'dpo.register.saved' });
    expect(saved.map((event) => [event.object_type, event.details.version])).toEqual([
      ['data_processor', 1],
      ['processing_activity', 1],
      ['processing_activity', 2],
      ['data_processor', 2],
      ['processing_activity', 3],
    ]);
    expect((await eventsOf(s.db, { action: 'dpo.register.removed' })).map((event) => event.object_type)).toEqual(['processing_activity', 'data_processor']);
    expect((await eventsOf(s.db, { action: 'dpo.registers.read' })).length).toBeGreaterThanOrEqual(4);
  });

  it('DPO-7: the CSV export neutralises formulas and parses back; the PDF names the entries; both are logged with the client IP', async () => {
    const s = await setting(database);
    const processor = await s.dpo.dpo.registers.createProcessor({ name: '=HYPERLINK("http://evil.example")', service: '+SUM(A1)', country: 'SE', transferBasis: null, agreementDate: null, contact: '@kontakt' });
    await s.dpo.dpo.registers.createActivity({ ...activity, name: '-Timebestilling', processorIds: [processor.id] });
    const csv = await s.dpo.dpo.registers.export({ register: 'processors', format: 'csv' });
    expect(csv.pdfBase64).toBeNull();
    const rows = parse(csv.csv!.replace(/^\uFEFF/, ''), { delimiter: ';' }) as string[][];
    expect(rows[0]?.[0]).toBe('Databehandler');
    expect(rows[1]).toEqual(expect.arrayContaining(['\'=HYPERLINK("http://evil.example")', "'+SUM(A1)", "'@kontakt", 'SE']));
    const activities = parse((await s.dpo.dpo.registers.export({ register: 'activities', format: 'csv' })).csv!.replace(/^\uFEFF/, ''), { delimiter: ';' }) as string[][];
    expect(activities[1]?.[0]).toBe("'-Timebestilling");
    expect(activities[1]).toContain('GDPR art. 6 nr. 1 c (rettslig forpliktelse); GDPR art. 9 nr. 2 h (helsehjelp)');
    expect(activities[1]).toContain('\'=HYPERLINK("http://evil.example")');

    const pdf = await s.dpo.dpo.registers.export({ register: 'activities', format: 'pdf' });
    expect(pdf.csv).toBeNull();
    const exported = await eventsOf(s.db, { action: 'dpo.register.exported' });
    expect(exported.map((event) => [event.details.register, event.details.format, event.client_ip])).toEqual([
      ['processors', 'csv', '203.0.113.9'],
      ['activities', 'csv', '203.0.113.9'],
      ['activities', 'pdf', '203.0.113.9'],
    ]);
    if (!hasPdftotext) return;
    const text = pdfText(pdf.pdfBase64!);
    expect(text).toContain('Protokoll over behandlingsaktiviteter');
    expect(text).toContain('Registerklinikken AS');
    expect(text).toContain('-Timebestilling');
    expect(text).toContain('helsepersonelloven § 39');
  });

  it('DPO-7: only the DPO changes or exports the registers; the admin reads; a clinician sees nothing; another organisation’s entries are not found', async () => {
    const s = await setting(database);
    const processor = await s.dpo.dpo.registers.createProcessor({ name: 'Leverandør', service: 'SMS', country: 'NO', transferBasis: null, agreementDate: null, contact: null });
    await expect(s.admin.dpo.registers.createProcessor({ name: 'X', service: 'Y', country: 'NO', transferBasis: null, agreementDate: null, contact: null })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s.admin.dpo.registers.export({ register: 'processors', format: 'csv' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s.clinician.dpo.registers.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const other = await createOrganisation(s.db);
    const otherDpo = await s.as(await createUser(s.db, other.id, { roles: ['dpo'] }));
    expect(await otherDpo.dpo.registers.list()).toEqual({ activities: [], processors: [] });
    await expect(otherDpo.dpo.registers.removeProcessor({ processorId: processor.id, version: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(otherDpo.dpo.registers.createActivity({ ...activity, processorIds: [processor.id] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    s.clock.advance(6 * 60_000);
    await expect(s.dpo.dpo.registers.export({ register: 'processors', format: 'pdf' })).rejects.toMatchObject({ message: 'auth.step_up_required' });
  });
});
