import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SEARCH_MATCH_CAP } from '../../../src/server/crm/repository';
import { COMPANY_STATUS_TRANSITIONS, COMPANY_STATUSES } from '../../../src/shared/crm-schemas';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { crmSetting, MINUTE, newCompany, newContact, organisationNumber, outcome, withWrongCheckDigit } from './crm-support';

describe('CRM-1: companies', () => {
  const database = useTestDatabase();

  it('CRM-1, PLAT-6: bad input is refused naming the field (organisation number checksum, postcode, owner); a duplicate number is a field error', async () => {
    const s = await crmSetting(database.current);
    const number = organisationNumber('92360901');
    const wrong = await errorOf(s.sales.crm.createCompany({ name: 'Feil AS', organisationNumber: withWrongCheckDigit(number) }));
    expect(fieldErrorsFrom(wrong)).toEqual([expect.objectContaining({ field: 'organisationNumber', messageKey: 'validation.organisationNumber.checksum' })]);
    const format = await errorOf(s.sales.crm.createCompany({ name: 'Feil AS', organisationNumber: '12345', postcode: '12' }));
    expect(fieldErrorsFrom(format)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'organisationNumber', messageKey: 'validation.organisationNumber.format' }),
        expect.objectContaining({ field: 'postcode', messageKey: 'validation.postcode' }),
      ]),
    );
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.createCompany({ name: '' })))).toEqual([expect.objectContaining({ field: 'name' })]);
    // An owner must be a salesperson or admin of the organisation: not a clinician, not another organisation's user.
    for (const ownerId of [s.clinicianUser.id, s.otherSalesUser.id]) {
      expect(fieldErrorsFrom(await errorOf(s.sales.crm.createCompany({ name: 'Eier AS', ownerId })))).toEqual([expect.objectContaining({ field: 'ownerId', messageKey: 'validation.unknown_owner' })]);
    }

    // Grouped as Brønnøysund shows it, stored as 9 digits.
    const created = await s.sales.crm.createCompany({ name: 'Riktig AS', organisationNumber: `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}`, ownerId: s.adminUser.id });
    const page = await s.sales.crm.company({ companyId: created.id });
    expect(page.company).toMatchObject({ name: 'Riktig AS', organisationNumber: number, status: 'lead', source: 'manual', ownerId: s.adminUser.id, ownerName: 'Admin Arne', version: 1 });
    expect(fieldErrorsFrom(await errorOf(s.admin.crm.createCompany({ name: 'Kopi AS', organisationNumber: number })))).toEqual([
      expect.objectContaining({ field: 'organisationNumber', messageKey: 'validation.organisation_number_taken' }),
    ]);
    // Another organisation may hold the same company.
    await expect(s.otherSales.crm.createCompany({ name: 'Riktig AS', organisationNumber: number })).resolves.toMatchObject({ version: 1 });
    expect(await eventsOf(s.db, { action: 'crm.company.created' })).toHaveLength(2);
  });

  it('CRM-1: an update needs the version seen (a stale one is CONFLICT) and logs which fields changed, not their values', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const fields = { companyId: company.id, name: 'Fjordkraft Testselskap ASA', organisationNumber: null, street: 'Sandsliåsen 50', postcode: '5254', city: 'Sandsli', industry: 'Energi', ownerId: s.salesUser.id };
    await expect(s.sales.crm.updateCompany({ ...fields, version: 1 })).resolves.toEqual({ id: company.id, version: 2 });
    expect((await errorOf(s.admin.crm.updateCompany({ ...fields, name: 'Noe annet AS', version: 1 }))).code).toBe('CONFLICT');
    const [event] = await eventsOf(s.db, { action: 'crm.company.updated' });
    expect(event).toMatchObject({ object_id: company.id, outcome: 'allowed' });
    expect(event?.details).toEqual({ changedFields: ['name', 'street', 'postcode', 'city', 'owner_id'] });
    expect(JSON.stringify(event)).not.toContain('Sandsli');
  });

  it('CRM-1: status changes follow COMPANY_STATUS_TRANSITIONS, each with its date in the history', async () => {
    const s = await crmSetting(database.current);
    // Every pair: allowed exactly when the map says so.
    for (const from of COMPANY_STATUSES) {
      for (const to of COMPANY_STATUSES) {
        const company = await newCompany(s, { name: `Overgang ${from} ${to}`, status: from });
        const result = await outcome(s.sales.crm.setCompanyStatus({ companyId: company.id, status: to, version: 1 }));
        expect(result, `${from} → ${to}`).toBe(COMPANY_STATUS_TRANSITIONS[from].includes(to) ? 'OK' : 'BAD_REQUEST');
      }
    }
    const company = await newCompany(s, { name: 'Historikk AS' });
    s.clock.advance(MINUTE);
    await s.sales.crm.setCompanyStatus({ companyId: company.id, status: 'prospect', version: 1 });
    s.clock.advance(MINUTE);
    await s.admin.crm.setCompanyStatus({ companyId: company.id, status: 'customer', version: 2 });
    expect((await errorOf(s.sales.crm.setCompanyStatus({ companyId: company.id, status: 'former', version: 2 }))).code).toBe('CONFLICT');
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.setCompanyStatus({ companyId: company.id, status: 'lead', version: 3 })))).toEqual([expect.objectContaining({ field: 'status', messageKey: 'validation.crm_transition' })]);
    const page = await s.sales.crm.company({ companyId: company.id });
    expect(page.company).toMatchObject({ status: 'customer', version: 3, statusChangedAt: s.clock.now().toISOString() });
    expect(page.statusHistory).toEqual([
      { from: 'prospect', to: 'customer', changedAt: s.clock.now().toISOString(), changedByName: 'Admin Arne' },
      { from: 'lead', to: 'prospect', changedAt: new Date(s.clock.now().getTime() - MINUTE).toISOString(), changedByName: 'Selger Siri' },
      { from: null, to: 'lead', changedAt: new Date(s.clock.now().getTime() - 2 * MINUTE).toISOString(), changedByName: 'Selger Siri' },
    ]);
    const events = (await eventsOf(s.db, { action: 'crm.company.status_changed' })).filter((event) => event.object_id === company.id);
    expect(events.map((event) => [event.outcome, event.details])).toEqual([
      ['allowed', { from: 'lead', to: 'prospect' }],
      ['allowed', { from: 'prospect', to: 'customer' }],
    ]);
  });

  it('CRM-1: the list searches word prefixes over companies and their contacts, filters by status and owner, pages, and counts', async () => {
    const s = await crmSetting(database.current);
    const number = organisationNumber('98765432');
    const fjord = await newCompany(s, { name: 'Fjordkraft Testselskap AS', organisationNumber: number, city: 'Bergen', ownerId: s.salesUser.id });
    const bygg = await newCompany(s, { name: 'Byggmester Hansen-Berg AS', city: 'Oslo', status: 'prospect' });
    const hav = await newCompany(s, { name: 'Havbruk Nord AS', city: 'Tromsø', status: 'customer', ownerId: s.adminUser.id });
    await newContact(s, hav.id, { fullName: 'Øystein Ærlig', email: 'oystein@havbruk.example' });
    await newContact(s, hav.id, { fullName: 'Åse Ås', email: null });
    await s.sales.crm.createTask({ companyId: hav.id, title: 'Ring om avtalen', dueOn: '2026-12-01' });
    // Another organisation's company never appears.
    await s.otherSales.crm.createCompany({ name: 'Fjordkraft Annen AS' });

    const names = async (input: Parameters<typeof s.sales.crm.companies>[0]) => (await s.sales.crm.companies(input)).rows.map((row) => row.name);
    expect(await names({})).toEqual(['Byggmester Hansen-Berg AS', 'Fjordkraft Testselskap AS', 'Havbruk Nord AS']);
    expect(await names({ search: 'fjord' })).toEqual(['Fjordkraft Testselskap AS']);
    expect(await names({ search: 'FJORD test' })).toEqual(['Fjordkraft Testselskap AS']);
    expect(await names({ search: 'fjord nord' })).toEqual([]);
    expect(await names({ search: 'berg' })).toEqual(['Byggmester Hansen-Berg AS', 'Fjordkraft Testselskap AS']);
    expect(await names({ search: `${number.slice(0, 3)} ${number.slice(3, 6)} ${number.slice(6)}` })).toEqual(['Fjordkraft Testselskap AS']);
    // A contact's name or e-mail finds the company, with Norwegian letters.
    expect(await names({ search: 'øyst' })).toEqual(['Havbruk Nord AS']);
    expect(await names({ search: 'åse' })).toEqual(['Havbruk Nord AS']);
    expect(await names({ search: 'oystein' })).toEqual(['Havbruk Nord AS']);
    expect(await names({ search: 'Oystein@Havbruk.example' })).toEqual(['Havbruk Nord AS']);
    expect(await names({ search: 'hansen-berg' })).toEqual(['Byggmester Hansen-Berg AS']);
    // tsquery syntax typed by a user is only text.
    for (const hostile of ["fjord' & !", 'fjord:* | (', '!!!', '\\', "'); drop table company; --", '-.@', 'a<->b', 'x-', '@@ fjord']) {
      await expect(s.sales.crm.companies({ search: hostile })).resolves.toBeDefined();
    }
    expect(await names({ search: 'fjord & !nord' })).toEqual([]);
    expect(await names({ search: '***' })).toEqual(['Byggmester Hansen-Berg AS', 'Fjordkraft Testselskap AS', 'Havbruk Nord AS']);

    expect(await names({ statuses: ['prospect', 'customer'] })).toEqual(['Byggmester Hansen-Berg AS', 'Havbruk Nord AS']);
    expect(await names({ ownerId: 'me' })).toEqual(['Fjordkraft Testselskap AS']);
    expect(await names({ ownerId: s.adminUser.id })).toEqual(['Havbruk Nord AS']);
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.companies({ ownerId: 'someone' })))).toEqual([expect.objectContaining({ field: 'ownerId', messageKey: 'validation.id' })]);
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.companies({ pageSize: 101 })))).toEqual([expect.objectContaining({ field: 'pageSize' })]);

    const second = await s.sales.crm.companies({ page: 2, pageSize: 2 });
    expect(second).toEqual({ total: 3, isTotalCapped: false, rows: [expect.objectContaining({ id: hav.id, name: 'Havbruk Nord AS', status: 'customer', ownerName: 'Admin Arne', contactCount: 2, openTaskCount: 1, city: 'Tromsø' })] });
    expect(await s.sales.crm.companies({ page: 5, pageSize: 2 })).toEqual({ total: 3, isTotalCapped: false, rows: [] });
    expect(await s.sales.crm.companies({ search: 'berg', page: 3, pageSize: 1 })).toEqual({ total: 2, isTotalCapped: false, rows: [] });
    expect((await s.sales.crm.companies({ pageSize: 1 })).rows[0]).toMatchObject({ id: bygg.id, contactCount: 0, openTaskCount: 0, ownerName: null });

    // Logged with the count only: no search text.
    const events = await eventsOf(s.db, { action: 'crm.companies.read' });
    expect(events.length).toBeGreaterThan(10);
    expect(JSON.stringify(events)).not.toMatch(/fjord|øyst|oystein/i);
    expect(fjord.id).toBeDefined();
  });

  it('CRM-5: only sales and admin reach the CRM — a coordinator or clinician is FORBIDDEN, and the refusal is logged', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    for (const caller of [s.coordinator, s.clinician]) {
      expect(await outcome(caller.crm.companies({}))).toBe('FORBIDDEN');
      expect(await outcome(caller.crm.company({ companyId: company.id }))).toBe('FORBIDDEN');
      expect(await outcome(caller.crm.createCompany({ name: 'Nei AS' }))).toBe('FORBIDDEN');
      expect(await outcome(caller.crm.myTasks({}))).toBe('FORBIDDEN');
      expect(await outcome(caller.crm.salesUsers())).toBe('FORBIDDEN');
    }
    expect(await outcome(s.admin.crm.companies({}))).toBe('OK');
    const denied = (await eventsOf(s.db)).filter((event) => event.outcome === 'denied' && event.user_id === s.coordinatorUser.id);
    expect(denied.length).toBeGreaterThanOrEqual(5);
  });

  it("CRM-5: another organisation's company, contact and task ids are not found (and the probe is logged)", async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id);
    const task = await s.sales.crm.createTask({ companyId: company.id, title: 'Følg opp', dueOn: '2026-12-01' });
    const other = s.otherSales.crm;
    const calls = [
      other.company({ companyId: company.id }),
      other.company({ companyId: randomUUID() }),
      other.updateCompany({ companyId: company.id, version: 1, name: 'Kapret AS' }),
      other.setCompanyStatus({ companyId: company.id, status: 'prospect', version: 1 }),
      other.createContact({ companyId: company.id, fullName: 'X', bases: [{ purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'x' }] }),
      other.updateContact({ contactId: contact.id, version: 1, fullName: 'X' }),
      other.recordBasis({ contactId: contact.id, purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'x' }),
      other.withdrawConsent({ contactId: contact.id, purpose: 'all', evidence: 'x' }),
      other.recordObjection({ contactId: contact.id, purpose: 'all', evidence: 'x' }),
      other.logActivity({ companyId: company.id, kind: 'note', summary: 'x', occurredAt: s.clock.now().toISOString() }),
      other.createTask({ companyId: company.id, title: 'x', dueOn: '2026-12-01' }),
      other.updateTask({ taskId: task.id, version: 1, title: 'x' }),
      other.completeTask({ taskId: task.id, version: 1 }),
    ];
    expect(await Promise.all(calls.map(outcome))).toEqual(calls.map(() => 'NOT_FOUND'));
    // Their lists hold nothing of ours.
    expect(await other.companies({})).toEqual({ rows: [], total: 0, isTotalCapped: false });
    expect(await other.contactList({ purpose: 'direct_sales' })).toEqual([]);
    expect((await other.salesUsers()).map((user) => user.displayName)).toEqual(['Selger Annen']);
    const denials = (await eventsOf(s.db)).filter((event) => event.outcome === 'denied' && event.user_id === s.otherSalesUser.id);
    expect(denials.length).toBe(calls.length);
    // A contact of another company of ours is a field error, not a silent link.
    const second = await newCompany(s, { name: 'Annen AS' });
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.logActivity({ companyId: second.id, contactId: contact.id, kind: 'note', summary: 'x', occurredAt: s.clock.now().toISOString() })))).toEqual([
      expect.objectContaining({ field: 'contactId', messageKey: 'validation.unknown_contact' }),
    ]);
  });

  it('CRM-1: salesUsers lists active sales and admin users of the organisation, for the owner pickers', async () => {
    const s = await crmSetting(database.current);
    expect(await s.sales.crm.salesUsers()).toEqual([
      { id: s.adminUser.id, displayName: 'Admin Arne' },
      { id: s.salesUser.id, displayName: 'Selger Siri' },
    ]);
  });

  it('CRM-1: the pipeline counts companies per status and the moves into each status per Oslo month', async () => {
    const s = await crmSetting(database.current);
    // 2026-09-30 23:30 UTC is 1 October 01:30 in Oslo: an October move.
    s.clock.set(new Date('2026-09-30T23:30:00Z'));
    const a = await newCompany(s, { name: 'A AS' });
    const b = await newCompany(s, { name: 'B AS' });
    s.clock.set(new Date('2026-11-05T10:00:00Z'));
    await s.sales.crm.setCompanyStatus({ companyId: a.id, status: 'prospect', version: 1 });
    await s.sales.crm.setCompanyStatus({ companyId: b.id, status: 'customer', version: 1 });
    await newCompany(s, { name: 'C AS', status: 'former' });
    const result = await s.sales.crm.pipeline({ months: 3 });
    expect(result).toEqual({
      counts: { lead: 0, prospect: 1, customer: 1, former: 1 },
      moves: [
        { month: '2026-09', toLead: 0, toProspect: 0, toCustomer: 0, toFormer: 0 },
        { month: '2026-10', toLead: 2, toProspect: 0, toCustomer: 0, toFormer: 0 },
        { month: '2026-11', toLead: 0, toProspect: 1, toCustomer: 1, toFormer: 1 },
      ],
    });
    expect((await s.sales.crm.pipeline({})).moves).toHaveLength(12);
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.pipeline({ months: 25 })))).toEqual([expect.objectContaining({ field: 'months' })]);
    expect(await eventsOf(s.db, { action: 'crm.pipeline.read' })).toHaveLength(2);
  });
});

describe('CRM-1: the company search stays bounded', () => {
  const database = useTestDatabase();

  it('CRM-1: a search matching more than SEARCH_MATCH_CAP companies answers a page and says the total is capped; filters apply before the cap', async () => {
    const s = await crmSetting(database.current);
    const db = s.db;
    // Made by direct insert: the procedure has its own tests; this is about the search's bound.
    await sql`
      insert into company (organisation_id, name, city, status, status_changed_at, source, created_at, updated_at)
      select ${s.organisation.id}, 'Mengde ' || g || ' AS', 'Oslo', case when g = 1500 then 'customer' else 'lead' end, now(), 'manual', now(), now()
        from generate_series(1, ${SEARCH_MATCH_CAP + 500}) g`.execute(db);
    const capped = await s.sales.crm.companies({ search: 'mengde', pageSize: 10 });
    expect(capped).toMatchObject({ total: SEARCH_MATCH_CAP, isTotalCapped: true });
    expect(capped.rows).toHaveLength(10);
    // The one customer among them is found though the lead matches alone exceed the cap.
    expect(await s.sales.crm.companies({ search: 'mengde', statuses: ['customer'] })).toMatchObject({ total: 1, isTotalCapped: false, rows: [{ name: 'Mengde 1500 AS' }] });
    expect(await s.sales.crm.companies({ pageSize: 10 })).toMatchObject({ total: SEARCH_MATCH_CAP + 500, isTotalCapped: false });
  });
});
