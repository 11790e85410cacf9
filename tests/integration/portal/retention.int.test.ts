import { describe, expect, it } from 'vitest';
import { employeeRetentionCategory } from '../../../src/server/portal/retention-category';
import { RETENTION_CATEGORIES } from '../../../src/server/retention/categories';
import { runRetention } from '../../../src/server/retention/run';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { insertCompany, nationalIdFor, portalSetting, type PortalSetting, withAgreement } from './portal-support';

const PORTAL = [employeeRetentionCategory];

async function run(setting: PortalSetting, now: Date) {
  const result = await runRetention(setting.db, PORTAL, { now });
  if (result.isSkipped || result.isDryRun) throw new Error('expected a full run');
  return result.categories;
}

const employeeIds = (setting: PortalSetting, companyId: string) =>
  setting.db.selectFrom('corporate_employee').select('id').where('company_id', '=', companyId).orderBy('id').execute();

describe('portal employee retention (CRM-4, DPO-6)', () => {
  const database = useTestDatabase();

  it('CRM-4: employees of an ended agreement are deleted once its last day plus the organisation’s days has passed — not a day before; a running agreement’s stay', async () => {
    const setting = await portalSetting(database.current);
    await setting.db.updateTable('organisation').set({ crm_employee_retention_days: 10 }).where('id', '=', setting.organisation.id).execute();
    // The agreement runs while employees are added, then ends on 2026-11-30.
    const agreement = await withAgreement(setting);
    for (let serial = 0; serial < 3; serial++) await setting.sales.portal.addEmployee({ companyId: setting.companyId, fullName: `Ansatt ${serial}`, nationalId: nationalIdFor('1980-01-15', serial) });
    await setting.sales.portal.saveAgreement({ companyId: setting.companyId, startsOn: '2026-01-01', endsOn: '2026-11-30', services: ['psychologist'], version: agreement.version });

    const running = await insertCompany(setting.db, setting.organisation.id, { name: 'Løpende AS' });
    await withAgreement(setting, running);
    await setting.sales.portal.addEmployee({ companyId: running, fullName: 'Blir Her', nationalId: nationalIdFor('1975-05-05') });

    // 30 November + 10 days = 10 December is still covered (Oslo's calendar); 11 December is due.
    const lastKeptDay = new Date('2026-12-10T22:59:00Z');
    expect(await run(setting, lastKeptDay)).toEqual([{ name: 'portal.employee', anonymised: 0, batches: 0 }]);
    expect(await employeeIds(setting, setting.companyId)).toHaveLength(3);
    const dry = await runRetention(setting.db, PORTAL, { now: lastKeptDay, dryRun: true });
    expect(dry).toMatchObject({ isDryRun: true, report: [{ name: 'portal.employee', due: 0, oldestDueAt: null }] });

    const firstDueDay = new Date('2026-12-10T23:00:00Z');
    const dueReport = await runRetention(setting.db, PORTAL, { now: firstDueDay, dryRun: true });
    expect(dueReport).toMatchObject({ isDryRun: true, report: [{ name: 'portal.employee', due: 3, oldestDueAt: firstDueDay.toISOString() }] });
    expect(await run(setting, firstDueDay)).toEqual([{ name: 'portal.employee', anonymised: 3, batches: 1 }]);
    expect(await employeeIds(setting, setting.companyId)).toHaveLength(0);
    expect(await employeeIds(setting, running)).toHaveLength(1);
    // The agreement itself stays (the customer's history).
    expect(await setting.sales.portal.agreement({ companyId: setting.companyId })).toMatchObject({ endsOn: '2026-11-30' });

    const events = (await eventsOf(setting.db, { action: 'retention.run' })).filter((event) => event.object_id === 'portal.employee');
    expect(events.length).toBeGreaterThan(0);
    expect(JSON.stringify(events)).not.toMatch(/Ansatt|1501801/);
  });

  it('DPO-6: the category is in the registry', () => {
    expect(RETENTION_CATEGORIES.map((category) => category.name)).toContain('portal.employee');
  });
});
