import { describe, expect, it } from 'vitest';
import { claimInstallationMode } from '../../../src/server/db/installation';
import { DEMO_CONTACT_FORM_KEY } from '../../../src/server/demo/crm-seed';
import { seedDemo } from '../../../src/server/demo/seed';
import { totpCodeAt } from '../../../src/server/auth/totp';
import { COMPANY_STATUSES } from '../../../src/shared/crm-schemas';
import { callerAs, TestClock } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { createTestCaller, testSecretBox } from '../support/test-server';

describe("the demo's CRM (PLAT-5, CRM-1…3)", () => {
  const database = useTestDatabase();

  it('PLAT-5: companies in every status, contacts on each basis (one withdrawn, one objected), and Sigurd Salg\'s tasks, some overdue', async () => {
    await claimInstallationMode(database.current.db, 'demo');
    const demo = await seedDemo(database.current.db, testSecretBox);
    const db = database.current.db;
    expect((await db.selectFrom('organisation').select('contact_form_key').where('id', '=', demo.organisationId).executeTakeFirstOrThrow()).contact_form_key).toBe(DEMO_CONTACT_FORM_KEY);

    // Log in as the demo salesperson, through the real procedures.
    const clock = new TestClock(new Date());
    const salg = demo.logins.find((login) => login.email === 'salg@demo.journalkontor.no')!;
    const anonymous = createTestCaller(database.current, { now: clock.now });
    const first = await anonymous.auth.login.password({ email: salg.email, password: demo.password, deviceId: null });
    const { token } = await anonymous.auth.login.secondFactor({ ticket: (first as { ticket: string }).ticket, code: await totpCodeAt(salg.totpSecret, clock.now()) });
    const sales = callerAs(database.current, token, clock);

    const { rows, total } = await sales.crm.companies({ pageSize: 100 });
    expect(total).toBeGreaterThanOrEqual(6);
    for (const status of COMPANY_STATUSES) expect(rows.filter((row) => row.status === status).length, status).toBeGreaterThan(0);

    const contacts = (await Promise.all(rows.map((row) => sales.crm.company({ companyId: row.id })))).flatMap((page) => page.contacts);
    const bases = new Set(contacts.flatMap((contact) => contact.bases.map((basis) => basis.basis)));
    expect([...bases].sort()).toEqual(['consent', 'contract', 'legitimate_interest']);
    const states = contacts.flatMap((contact) => contact.bases.map((basis) => basis.state));
    expect(states).toContain('withdrawn');
    expect(states).toContain('objected');
    expect(contacts.filter((contact) => contact.isBlocked).length).toBeGreaterThanOrEqual(2);
    // The blocked ones are in no list.
    const blockedIds = new Set(contacts.filter((contact) => contact.isBlocked).map((contact) => contact.id));
    for (const purpose of ['account_follow_up', 'direct_sales', 'newsletter', 'event_invitations'] as const) {
      for (const row of await sales.crm.contactList({ purpose })) expect(blockedIds.has(row.id)).toBe(false);
    }

    const tasks = await sales.crm.myTasks({});
    expect(tasks.filter((task) => task.isOverdue).length).toBeGreaterThanOrEqual(2);
    expect(tasks[0]!.isOverdue).toBe(true);
    const pipeline = await sales.crm.pipeline({ months: 12 });
    expect(pipeline.moves.reduce((sum, month) => sum + month.toLead + month.toProspect + month.toCustomer + month.toFormer, 0)).toBeGreaterThan(6);
  });
});
