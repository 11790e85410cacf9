import { describe, expect, it } from 'vitest';
import { syntheticNationalId } from '../../../src/server/demo/journal-seed';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { insertCompany, nationalIdFor, portalSetting, type PortalSetting, withAgreement } from './portal-support';

const KARI = { fullName: 'Kari Nordmann', phone: '912 34 567', email: 'Kari@Example.test', nationalId: nationalIdFor('1985-03-14', 3) };

/** Every event the portal wrote, as text: no number, name or contact detail may be in it. */
async function portalEventsText(setting: PortalSetting): Promise<string> {
  const events = await setting.db.selectFrom('audit_event').selectAll().where('action', 'like', 'portal.%').execute();
  return JSON.stringify(events);
}

describe('corporate portal: agreement and employees (CRM-4)', () => {
  const database = useTestDatabase();

  it('CRM-4: an agreement only for a customer; saved with the version read, a stale version is a conflict', async () => {
    const setting = await portalSetting(database.current);
    const leadId = await insertCompany(setting.db, setting.organisation.id, { status: 'lead', name: 'Lead AS' });
    const refused = await errorOf(setting.sales.portal.saveAgreement({ companyId: leadId, startsOn: '2026-01-01', services: ['psychologist'] }));
    expect(fieldErrorsFrom(refused)).toEqual([expect.objectContaining({ field: 'companyId', messageKey: 'validation.company_not_customer' })]);

    expect(await setting.sales.portal.agreement({ companyId: setting.companyId })).toBeNull();
    const created = await withAgreement(setting);
    expect(created).toMatchObject({ startsOn: '2026-01-01', endsOn: null, services: ['occupational_health', 'psychologist'], reference: 'AVT-2026-01', version: 1, isActive: true });
    // A second create for the same company is a conflict, not a second agreement.
    expect((await errorOf(withAgreement(setting))).code).toBe('CONFLICT');

    const ended = await setting.admin.portal.saveAgreement({ companyId: setting.companyId, startsOn: '2026-01-01', endsOn: '2026-11-01', services: ['vaccination'], version: 1 });
    expect(ended).toMatchObject({ endsOn: '2026-11-01', services: ['vaccination'], version: 2, isActive: false });
    expect((await errorOf(setting.sales.portal.saveAgreement({ companyId: setting.companyId, startsOn: '2026-01-01', services: ['vaccination'], version: 1 }))).code).toBe('CONFLICT');

    const backwards = await errorOf(setting.sales.portal.saveAgreement({ companyId: setting.companyId, startsOn: '2026-05-01', endsOn: '2026-04-30', services: ['vaccination'], version: 2 }));
    expect(fieldErrorsFrom(backwards)).toEqual([expect.objectContaining({ field: 'endsOn', messageKey: 'validation.period_order' })]);
    const noServices = await errorOf(setting.sales.portal.saveAgreement({ companyId: setting.companyId, startsOn: '2026-05-01', services: [], version: 2 }));
    expect(fieldErrorsFrom(noServices).map((error) => error.field)).toEqual(['services']);

    const saved = await eventsOf(setting.db, { action: 'portal.agreement.saved' });
    expect(saved).toHaveLength(2);
    expect(saved[0]).toMatchObject({ object_type: 'corporate_agreement', object_id: created.id, user_id: setting.salesUser.id });
  });

  it('CRM-4: bad fødselsnummer, e-mail and phone are refused naming the field (400, never 500)', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const badChecksum = `${KARI.nationalId.slice(0, 10)}${(Number(KARI.nationalId[10]) + 1) % 10}`;
    const error = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Kari', nationalId: badChecksum, phone: '12', email: 'not-an-address' }));
    expect(fieldErrorsFrom(error)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'nationalId', messageKey: 'validation.nationalIdentityNumber.checksum' }),
        expect.objectContaining({ field: 'phone', messageKey: 'validation.phone' }),
        expect.objectContaining({ field: 'email', messageKey: 'validation.email' }),
      ]),
    );
    const missing = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: '', nationalId: '' }));
    expect(fieldErrorsFrom(missing)).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'fullName', messageKey: 'validation.required' }), expect.objectContaining({ field: 'nationalId', messageKey: 'validation.required' })]),
    );
    // The date part is checked too (31 February).
    const badDate = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Kari', nationalId: '31029012345' }));
    expect(fieldErrorsFrom(badDate)[0]?.field).toBe('nationalId');
    expect(await setting.db.selectFrom('corporate_employee').select('id').execute()).toHaveLength(0);
  });

  it('CRM-4: the number is stored sealed (bound to the row), matched by its keyed hash, listed masked; revealing needs a reason and is logged without the number', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const { employee } = await setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI });
    expect(employee).toMatchObject({ fullName: 'Kari Nordmann', phone: '+4791234567', email: 'kari@example.test', nationalIdMasked: `${KARI.nationalId.slice(0, 6)}*****`, version: 1 });

    const row = await setting.db.selectFrom('corporate_employee').selectAll().where('id', '=', employee.id).executeTakeFirstOrThrow();
    for (const column of [row.national_id_sealed, row.national_id_masked, row.national_id_hmac.toString('hex'), row.national_id_hmac.toString('latin1')]) {
      expect(column).not.toContain(KARI.nationalId);
      expect(column).not.toContain(KARI.nationalId.slice(6));
    }
    expect(row.national_id_hmac).toHaveLength(32);
    // Copied onto another row, the sealed number does not open (bound to the row id).
    const second = await setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Ola Nordmann', nationalId: nationalIdFor('1979-06-01', 5) });
    await setting.db.updateTable('corporate_employee').set({ national_id_sealed: row.national_id_sealed }).where('id', '=', second.employee.id).execute();
    expect((await errorOf(setting.sales.portal.revealNationalId({ employeeId: second.employee.id, reason: 'verify_identity' }))).code).toBe('INTERNAL_SERVER_ERROR');

    const list = await setting.sales.portal.employees({ companyId: setting.companyId, page: 1, pageSize: 25 });
    expect(list.total).toBe(2);
    expect(JSON.stringify(list)).not.toContain(KARI.nationalId);
    expect(list.rows.map((entry) => entry.fullName)).toEqual(['Kari Nordmann', 'Ola Nordmann']);
    expect((await setting.sales.portal.employees({ companyId: setting.companyId, search: 'nord', page: 1, pageSize: 25 })).total).toBe(2);
    expect((await setting.sales.portal.employees({ companyId: setting.companyId, search: 'ola', page: 1, pageSize: 25 })).rows.map((entry) => entry.fullName)).toEqual(['Ola Nordmann']);
    const read = await eventsOf(setting.db, { action: 'portal.employees.read' });
    expect(read.at(-1)?.details).toMatchObject({ companyId: setting.companyId, resultCount: 1 });

    const noReason = await errorOf(setting.sales.portal.revealNationalId({ employeeId: employee.id } as never));
    expect(fieldErrorsFrom(noReason).map((error) => error.field)).toEqual(['reason']);
    expect(await eventsOf(setting.db, { action: 'portal.employee.national_id_viewed' })).toHaveLength(0);

    const revealed = await setting.sales.portal.revealNationalId({ employeeId: employee.id, reason: 'correct_registration' });
    expect(revealed).toEqual({ nationalId: KARI.nationalId });
    const viewed = await eventsOf(setting.db, { action: 'portal.employee.national_id_viewed' });
    expect(viewed).toHaveLength(1);
    expect(viewed[0]).toMatchObject({ object_type: 'corporate_employee', object_id: employee.id, reason: 'correct_registration', user_id: setting.salesUser.id, outcome: 'allowed' });

    const text = await portalEventsText(setting);
    for (const personal of [KARI.nationalId, KARI.nationalId.slice(6), 'Kari Nordmann', '91234567', 'kari@example.test']) expect(text).not.toContain(personal);
  });

  it('CRM-4: a number already on an employee of the company is refused on nationalId; another company may hold it', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    await setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI });
    const duplicate = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Kari Igjen', nationalId: KARI.nationalId }));
    expect(fieldErrorsFrom(duplicate)).toEqual([expect.objectContaining({ field: 'nationalId', messageKey: 'validation.employee_national_id_taken' })]);

    const otherCompany = await insertCompany(setting.db, setting.organisation.id, { name: 'Annen Kunde AS' });
    await withAgreement(setting, otherCompany);
    await expect(setting.sales.portal.addEmployee({ companyId: otherCompany, fullName: 'Kari Nordmann', nationalId: KARI.nationalId })).resolves.toBeDefined();

    // Changing an employee's number to one the company holds is refused the same way.
    const { employee: ola } = await setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Ola', nationalId: nationalIdFor('1979-06-01', 5) });
    const taken = await errorOf(setting.sales.portal.updateEmployee({ employeeId: ola.id, version: 1, fullName: 'Ola', nationalId: KARI.nationalId }));
    expect(fieldErrorsFrom(taken)).toEqual([expect.objectContaining({ field: 'nationalId', messageKey: 'validation.employee_national_id_taken' })]);
  });

  it('CRM-4: update and remove with the version read; each change logged with the fields changed, not their values', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const { employee } = await setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI });
    const newNumber = nationalIdFor('1985-03-14', 9);
    const { employee: updated } = await setting.sales.portal.updateEmployee({ employeeId: employee.id, version: 1, fullName: 'Kari Nordmann Berg', phone: '+47 912 34 567', email: 'kari@example.test', nationalId: newNumber });
    expect(updated).toMatchObject({ fullName: 'Kari Nordmann Berg', version: 2, nationalIdMasked: `${newNumber.slice(0, 6)}*****` });
    expect(await setting.sales.portal.revealNationalId({ employeeId: employee.id, reason: 'verify_identity' })).toEqual({ nationalId: newNumber });
    const events = await eventsOf(setting.db, { action: 'portal.employee.updated' });
    expect(events[0]?.details).toMatchObject({ changedFields: ['fullName', 'nationalId'] });

    expect((await errorOf(setting.sales.portal.updateEmployee({ employeeId: employee.id, version: 1, fullName: 'Stale' }))).code).toBe('CONFLICT');
    expect((await errorOf(setting.sales.portal.removeEmployee({ employeeId: employee.id, version: 1 }))).code).toBe('CONFLICT');
    await setting.sales.portal.removeEmployee({ employeeId: employee.id, version: 2 });
    expect(await setting.db.selectFrom('corporate_employee').select('id').execute()).toHaveLength(0);
    expect(await eventsOf(setting.db, { action: 'portal.employee.removed' })).toHaveLength(1);
    expect(await eventsOf(setting.db, { action: 'portal.employee.created' })).toHaveLength(1);
  });

  it('CRM-4: employees only under an agreement that has not ended', async () => {
    const setting = await portalSetting(database.current);
    const none = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI }));
    expect(fieldErrorsFrom(none)).toEqual([expect.objectContaining({ field: 'companyId', messageKey: 'validation.agreement_required' })]);
    await withAgreement(setting, setting.companyId, '2026-10-31');
    const ended = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI }));
    expect(fieldErrorsFrom(ended)).toEqual([expect.objectContaining({ field: 'companyId', messageKey: 'validation.agreement_required' })]);
  });

  it('CRM-4: synthetic test numbers only in the demo', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    // A Tenor synthetic person (month + 80), as the demo makes them.
    const synthetic = syntheticNationalId('1985-03-14', 7, 'female');
    const refused = await errorOf(setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: 'Test Person', nationalId: synthetic }));
    expect(fieldErrorsFrom(refused)).toEqual([expect.objectContaining({ field: 'nationalId', messageKey: 'validation.nationalIdentityNumber.synthetic_not_allowed' })]);
  });

  it('CRM-4: sales and administrators only (clinician, coordinator FORBIDDEN); another organisation’s ids are not found', async () => {
    const setting = await portalSetting(database.current);
    await withAgreement(setting);
    const { employee } = await setting.sales.portal.addEmployee({ companyId: setting.companyId, ...KARI });
    for (const caller of [setting.clinician, setting.coordinator]) {
      expect((await errorOf(caller.portal.employees({ companyId: setting.companyId, page: 1, pageSize: 10 }))).code).toBe('FORBIDDEN');
      expect((await errorOf(caller.portal.revealNationalId({ employeeId: employee.id, reason: 'other' }))).code).toBe('FORBIDDEN');
      expect((await errorOf(caller.portal.agreement({ companyId: setting.companyId }))).code).toBe('FORBIDDEN');
    }
    const other = setting.otherSales;
    expect((await errorOf(other.portal.agreement({ companyId: setting.companyId }))).code).toBe('NOT_FOUND');
    expect((await errorOf(other.portal.employees({ companyId: setting.companyId, page: 1, pageSize: 10 }))).code).toBe('NOT_FOUND');
    expect((await errorOf(other.portal.revealNationalId({ employeeId: employee.id, reason: 'other' }))).code).toBe('NOT_FOUND');
    expect((await errorOf(other.portal.updateEmployee({ employeeId: employee.id, version: 1, fullName: 'X' }))).code).toBe('NOT_FOUND');
    expect((await errorOf(other.portal.removeEmployee({ employeeId: employee.id, version: 1 }))).code).toBe('NOT_FOUND');
    expect((await errorOf(other.portal.addEmployee({ companyId: setting.companyId, fullName: 'X', nationalId: nationalIdFor('1990-01-01') }))).code).toBe('NOT_FOUND');
    // Nothing revealed, and the refusals are logged.
    const views = await eventsOf(setting.db, { action: 'portal.employee.national_id_viewed' });
    expect(views.map((event) => event.outcome)).toEqual(['denied']);
    const denials = await setting.db.selectFrom('audit_event').select(['action', 'outcome']).where('outcome', '=', 'denied').where('user_id', '=', (await setting.db.selectFrom('app_user').select('id').where('organisation_id', '=', setting.other.id).executeTakeFirstOrThrow()).id).execute();
    // employees, reveal, update, remove, add (the agreement's read records nothing, so neither does its refusal).
    expect(denials).toHaveLength(5);
  });
});
