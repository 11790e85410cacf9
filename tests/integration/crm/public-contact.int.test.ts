import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLIC_CONTACT_URL } from '../../../src/server/crm/public-route';
import type { ServerConfig } from '../../../src/server/config';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock } from '../support/identity';
import { type TestDatabase, useTestDatabase } from '../support/test-database';
import { buildTestApp, testConfig } from '../support/test-server';
import { organisationNumber, withWrongCheckDigit } from './crm-support';

const CONSENT_TEXT = 'Jeg samtykker i at Journalkontor lagrer opplysningene mine for å følge opp henvendelsen og sende meg nyhetsbrev.';

describe('CRM-2, PLAT-9: the public corporate contact form', () => {
  const database = useTestDatabase();
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function setting(db: TestDatabase, config: Partial<ServerConfig> = {}) {
    const clock = new TestClock();
    const organisation = await createOrganisation(db.db);
    const formKey = `firma-${Math.random().toString(36).slice(2, 8)}`;
    await db.db.updateTable('organisation').set({ contact_form_key: formKey }).where('id', '=', organisation.id).execute();
    app = await buildTestApp(db, { now: clock.now, config });
    let keys = 0;
    const post = (body: unknown, options: { key?: string | null; address?: string } = {}) =>
      app!.inject({
        method: 'POST',
        url: PUBLIC_CONTACT_URL,
        remoteAddress: options.address ?? '203.0.113.10',
        headers: { 'content-type': 'application/json', ...(options.key === null ? {} : { 'idempotency-key': options.key ?? `contact-form-${++keys}-${Math.random().toString(36).slice(2)}` }) },
        payload: JSON.stringify(body),
      });
    const form = (overrides: Record<string, unknown> = {}) => ({
      organisation: formKey,
      companyName: 'Havbruk Nord AS',
      fullName: 'Øystein Ærlig',
      jobTitle: 'HR-sjef',
      email: 'Oystein@Havbruk.example',
      phone: '915 55 555',
      message: 'Vi ønsker et tilbud på bedriftshelsetjeneste for 40 ansatte.',
      consentText: CONSENT_TEXT,
      purposes: ['account_follow_up', 'newsletter'],
      ...overrides,
    });
    const contacts = () => db.db.selectFrom('crm_contact').selectAll().where('organisation_id', '=', organisation.id).execute();
    return { clock, organisation, formKey, post, form, contacts };
  }

  it('CRM-2: a valid enquiry makes a lead, the contact, one consent per purpose with the text shown as evidence, and the message as an activity; a retry writes nothing', async () => {
    const { clock, organisation, post, form, contacts } = await setting(database.current);
    const response = await post(form(), { key: 'contact-form-key-01' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ status: 'received' });
    const [contact] = await contacts();
    expect(contact).toMatchObject({ full_name: 'Øystein Ærlig', email: 'oystein@havbruk.example', phone: '+4791555555', source: 'contact_form', created_by: null, idempotency_key: 'contact-form-key-01' });
    const company = await database.current.db.selectFrom('company').selectAll().where('id', '=', contact!.company_id).executeTakeFirstOrThrow();
    expect(company).toMatchObject({ name: 'Havbruk Nord AS', status: 'lead', source: 'contact_form', organisation_number: null, organisation_id: organisation.id });
    const bases = await database.current.db.selectFrom('contact_legal_basis').selectAll().where('contact_id', '=', contact!.id).orderBy('purpose').execute();
    expect(bases.map((row) => [row.purpose, row.basis, row.state, row.source, row.evidence, row.review_on, row.recorded_at.toISOString()])).toEqual([
      ['account_follow_up', 'consent', 'active', 'contact_form', CONSENT_TEXT, '2028-11-22', clock.now().toISOString()],
      ['newsletter', 'consent', 'active', 'contact_form', CONSENT_TEXT, '2028-11-22', clock.now().toISOString()],
    ]);
    expect(await database.current.db.selectFrom('crm_activity').select(['kind', 'summary', 'contact_id']).where('company_id', '=', company.id).execute()).toEqual([
      { kind: 'web_form', summary: form().message, contact_id: contact!.id },
    ]);
    const [event] = await eventsOf(database.current.db, { action: 'crm.contact.received' });
    expect(event).toMatchObject({ organisation_id: organisation.id, user_id: null, user_display_name: 'public:contact-form', object_id: contact!.id, client_ip: null, details: { companyId: company.id, isNewCompany: true, purposes: ['account_follow_up', 'newsletter'] } });
    expect(JSON.stringify(event)).not.toMatch(/Øystein|havbruk|tilbud/i);

    // The same submission again (a double click, a retry after a lost answer): nothing more.
    expect((await post(form(), { key: 'contact-form-key-01' })).statusCode).toBe(201);
    expect(await contacts()).toHaveLength(1);
    expect(await database.current.db.selectFrom('company').selectAll().where('organisation_id', '=', organisation.id).execute()).toHaveLength(1);
    expect(await eventsOf(database.current.db, { action: 'crm.contact.received' })).toHaveLength(1);

    // The lead is in the salespeople's list.
    const salesUser = await createUser(database.current.db, organisation.id, { roles: ['sales'] });
    const sales = callerAs(database.current, (await login(database.current, salesUser, clock)).token, clock);
    expect((await sales.crm.companies({ statuses: ['lead'] })).rows).toEqual([expect.objectContaining({ id: company.id, name: 'Havbruk Nord AS', contactCount: 1 })]);
    expect((await sales.crm.contactList({ purpose: 'newsletter' })).map((row) => row.id)).toEqual([contact!.id]);
  });

  it('CRM-2: a known organisation number joins the existing company', async () => {
    const { organisation, post, form, contacts } = await setting(database.current);
    const number = organisationNumber('91234567');
    const existing = await database.current.db
      .insertInto('company')
      .values({ organisation_id: organisation.id, name: 'Havbruk Nord AS', organisation_number: number, status: 'customer', status_changed_at: new Date(), source: 'manual', created_at: new Date(), updated_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await post(form({ organisationNumber: number, purposes: ['event_invitations'] }))).statusCode).toBe(201);
    expect((await contacts()).map((row) => row.company_id)).toEqual([existing.id]);
    expect(await database.current.db.selectFrom('company').selectAll().where('organisation_id', '=', organisation.id).execute()).toHaveLength(1);
  });

  it('CRM-2, PLAT-6: bad input is 400 naming the fields; an unknown form key is a plain 404; nothing is stored', async () => {
    const { post, form, contacts } = await setting(database.current);
    const bad = await post(form({ email: 'ikke-epost', organisationNumber: withWrongCheckDigit(organisationNumber('91234567')), purposes: [], phone: '12' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({
      error: 'error.validation',
      fieldErrors: expect.arrayContaining([
        expect.objectContaining({ field: 'email', messageKey: 'validation.email' }),
        expect.objectContaining({ field: 'organisationNumber', messageKey: 'validation.organisationNumber.checksum' }),
        expect.objectContaining({ field: 'purposes', messageKey: 'validation.crm_consent_required' }),
        expect.objectContaining({ field: 'phone', messageKey: 'validation.phone' }),
      ]),
    });
    expect(bad.body).not.toContain('ikke-epost');
    // Direct sales is not something the form can consent to; an extra field is refused.
    expect((await post(form({ purposes: ['direct_sales'] }))).json()).toMatchObject({ fieldErrors: [expect.objectContaining({ field: 'purposes.0', messageKey: 'validation.crm_purpose' })] });
    expect((await post(form({ companyId: 'x' }))).statusCode).toBe(400);
    const missing = await post({ organisation: form().organisation });
    expect((missing.json() as { fieldErrors: { field: string }[] }).fieldErrors.map((error) => error.field)).toEqual(expect.arrayContaining(['companyName', 'fullName', 'email', 'message', 'consentText', 'purposes']));
    expect((await post(form(), { key: null })).json()).toMatchObject({ fieldErrors: [{ field: 'idempotency-key', messageKey: 'validation.required' }] });
    expect((await post(form({ message: 'x'.repeat(17 * 1024) }))).statusCode).toBe(413);

    const unknown = await post(form({ organisation: 'ingen-slik-bedrift' }));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'error.not_found', fieldErrors: [] });
    expect(await contacts()).toEqual([]);
    expect(await database.current.db.selectFrom('company').selectAll().execute()).toEqual([]);
  });

  it('PLAT-9: a burst from one address gets 429', async () => {
    const { post, form, contacts } = await setting(database.current, { limits: { ...testConfig().limits, publicPerAddress: 2, publicOverall: 100 } });
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await post(form(), { address: '198.51.100.9' })).statusCode);
    expect(codes).toEqual([201, 201, 429, 429]);
    expect((await post(form(), { address: '192.0.2.50' })).statusCode).toBe(201);
    expect(await contacts()).toHaveLength(3);
  });
});
