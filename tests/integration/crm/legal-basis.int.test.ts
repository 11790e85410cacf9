import { describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES } from '../../../src/shared/api-errors';
import { errorOf, fieldErrorsFrom } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { useTestDatabase } from '../support/test-database';
import { crmSetting, type CrmSetting, MINUTE, newCompany, newContact, outcome, TODAY } from './crm-support';

const basesOf = (db: CrmSetting['db'], contactId: string) =>
  db.selectFrom('contact_legal_basis').selectAll().where('contact_id', '=', contactId).orderBy('recorded_at').orderBy('id').execute();

async function contactView(s: CrmSetting, companyId: string, contactId: string) {
  const page = await s.sales.crm.company({ companyId });
  const contact = page.contacts.find((entry) => entry.id === contactId);
  if (!contact) throw new Error('contact not on the company page');
  return contact;
}

describe('CRM-2: contacts and their legal basis per purpose', () => {
  const database = useTestDatabase();

  it('CRM-2, PLAT-6: contact fields and basis rules are validated, naming the field', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const bad = await errorOf(newContact(s, company.id, { email: 'ikke-en-adresse', phone: '12 34', fullName: '' }));
    expect(fieldErrorsFrom(bad)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'email', messageKey: 'validation.email' }),
        expect.objectContaining({ field: 'phone', messageKey: 'validation.phone' }),
        expect.objectContaining({ field: 'fullName' }),
      ]),
    );
    expect(fieldErrorsFrom(await errorOf(newContact(s, company.id, { bases: [] })))).toEqual([expect.objectContaining({ field: 'bases', messageKey: 'validation.crm_basis_required' })]);
    const rules = [
      // Legitimate interest is not for the newsletter (e-mail marketing needs consent) nor for follow-up.
      [{ purpose: 'newsletter', basis: 'legitimate_interest', source: 'public_sources', evidence: 'x' }, 'bases.0.basis', 'validation.crm_basis_not_for_purpose'],
      [{ purpose: 'direct_sales', basis: 'legitimate_interest', source: 'agreement', evidence: 'x' }, 'bases.0.source', 'validation.crm_basis_source'],
      // A contract carries customer follow-up only, from the agreement.
      [{ purpose: 'direct_sales', basis: 'contract', source: 'agreement', evidence: 'x' }, 'bases.0.basis', 'validation.crm_basis_not_for_purpose'],
      [{ purpose: 'account_follow_up', basis: 'contract', source: 'email', evidence: 'x' }, 'bases.0.source', 'validation.crm_basis_source'],
      // Consent needs the evidence of how it was given, and cannot come from "public sources".
      [{ purpose: 'newsletter', basis: 'consent', source: 'public_sources', evidence: 'x' }, 'bases.0.source', 'validation.crm_basis_source'],
      [{ purpose: 'newsletter', basis: 'consent', source: 'email', evidence: '' }, 'bases.0.evidence', 'validation.required'],
    ] as const;
    for (const [basis, field, messageKey] of rules) {
      expect(fieldErrorsFrom(await errorOf(newContact(s, company.id, { bases: [basis] }))), `${basis.purpose} ${basis.basis} ${basis.source}`).toEqual([expect.objectContaining({ field, messageKey })]);
    }
    const twice = [
      { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'x' },
      { purpose: 'newsletter', basis: 'consent', source: 'phone', evidence: 'y' },
    ];
    expect(fieldErrorsFrom(await errorOf(newContact(s, company.id, { bases: twice })))).toEqual([expect.objectContaining({ field: 'bases.1.purpose', messageKey: 'validation.crm_purpose_twice' })]);
    expect(await s.db.selectFrom('crm_contact').selectAll().execute()).toEqual([]);

    // A good one: phone normalised, e-mail lower-cased, review dates by the basis's default.
    const created = await newContact(s, company.id, {
      email: 'Kari.Nordmann@Fjordkraft.Example',
      bases: [
        { purpose: 'account_follow_up', basis: 'contract', source: 'agreement', evidence: 'Rammeavtale 2026-14' },
        { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Svarte ja på e-post 20.11.' },
        { purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Proff.no' },
        { purpose: 'event_invitations', basis: 'consent', source: 'meeting', evidence: 'Muntlig', reviewOn: '2027-03-01' },
      ],
    });
    const view = await contactView(s, company.id, created.id);
    expect(view).toMatchObject({ email: 'kari.nordmann@fjordkraft.example', phone: '+4722334455', isBlocked: false, blockedPurposes: [], version: 1 });
    expect(view.bases.map((basis) => [basis.purpose, basis.basis, basis.state, basis.reviewOn, basis.recordedByName])).toEqual([
      ['account_follow_up', 'contract', 'active', null, 'Selger Siri'],
      ['direct_sales', 'legitimate_interest', 'active', '2027-11-22', 'Selger Siri'],
      ['newsletter', 'consent', 'active', '2028-11-22', 'Selger Siri'],
      ['event_invitations', 'consent', 'active', '2027-03-01', 'Selger Siri'],
    ]);
    expect(view.bases.every((basis) => !basis.isReviewDue)).toBe(true);
    expect(await eventsOf(s.db, { action: 'crm.legal_basis.recorded' })).toHaveLength(4);
    const [createdEvent] = await eventsOf(s.db, { action: 'crm.contact.created' });
    expect(JSON.stringify(createdEvent)).not.toMatch(/kari|nordmann|Rammeavtale/i);

    // The contact's own fields change with its version; a stale version is a conflict.
    await expect(s.sales.crm.updateContact({ contactId: created.id, version: 1, fullName: 'Kari Nordmann-Li', jobTitle: 'Daglig leder', email: 'kari@fjordkraft.example', phone: '' })).resolves.toEqual({ id: created.id, version: 2 });
    expect((await errorOf(s.sales.crm.updateContact({ contactId: created.id, version: 1, fullName: 'X' }))).code).toBe('CONFLICT');
    expect(await contactView(s, company.id, created.id)).toMatchObject({ fullName: 'Kari Nordmann-Li', phone: null, email: 'kari@fjordkraft.example', version: 2 });
    // On the review date the basis still stands, flagged for review.
    s.clock.set(new Date('2027-03-01T08:00:00Z'));
    const later = (await (await s.as(s.salesUser)).crm.company({ companyId: company.id })).contacts[0]!;
    expect(later.bases.filter((basis) => basis.isReviewDue).map((basis) => basis.purpose)).toEqual(['event_invitations']);
    expect(later.isBlocked).toBe(false);
  });

  it('CRM-2: withdrawn consent blocks an activity for that purpose — refused with crm.processing_blocked, logged as denied — and superseding keeps the history', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id, {
      bases: [
        { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Ja takk' },
        { purpose: 'account_follow_up', basis: 'consent', source: 'meeting', evidence: 'Ja i møte' },
      ],
    });
    const activity = (purpose: string, kind = 'email') => s.sales.crm.logActivity({ companyId: company.id, contactId: contact.id, kind, purpose, summary: 'Sendte nyhetsbrev', occurredAt: s.clock.now().toISOString() } as never);
    await expect(activity('newsletter')).resolves.toMatchObject({ id: expect.any(String) });
    // No basis at all for direct sales: refused as well.
    expect((await errorOf(activity('direct_sales'))).message).toBe(API_ERROR_MESSAGES.crmProcessingBlocked);

    await expect(s.sales.crm.withdrawConsent({ contactId: contact.id, purpose: 'newsletter', evidence: 'Ba om å slippe nyhetsbrev på e-post', source: 'email' })).resolves.toEqual({ withdrawn: ['newsletter'] });
    const refused = await errorOf(activity('newsletter'));
    expect(refused.code).toBe('FORBIDDEN');
    expect(refused.message).toBe(API_ERROR_MESSAGES.crmProcessingBlocked);
    // Follow-up still has its consent.
    await expect(activity('account_follow_up', 'call')).resolves.toBeDefined();

    const denied = (await eventsOf(s.db, { action: 'crm.activity.logged' })).filter((event) => event.outcome === 'denied');
    expect(denied).toHaveLength(2);
    expect(denied[1]).toMatchObject({ user_id: s.salesUser.id, reason: 'processing_blocked', object_type: 'crm_contact', object_id: contact.id, details: { purpose: 'newsletter' } });
    // The refused activity left nothing behind.
    expect(await s.db.selectFrom('crm_activity').select('purpose').orderBy('created_at').execute()).toEqual([{ purpose: 'newsletter' }, { purpose: 'account_follow_up' }]);

    // History: the consent stays, superseded by the withdrawal; nothing was edited.
    const history = await basesOf(s.db, contact.id);
    const newsletter = history.filter((row) => row.purpose === 'newsletter');
    expect(newsletter.map((row) => [row.basis, row.state, row.evidence])).toEqual([
      ['consent', 'active', 'Ja takk'],
      ['consent', 'withdrawn', 'Ba om å slippe nyhetsbrev på e-post'],
    ]);
    expect(newsletter[1]?.supersedes_id).toBe(newsletter[0]?.id);
    expect(await eventsOf(s.db, { action: 'crm.legal_basis.withdrawn' })).toEqual([expect.objectContaining({ object_id: contact.id, details: expect.objectContaining({ purpose: 'newsletter' }) })]);

    const view = await contactView(s, company.id, contact.id);
    expect(view).toMatchObject({ blockedPurposes: ['newsletter'], isBlocked: false });
    expect(view.bases.find((basis) => basis.purpose === 'newsletter')).toMatchObject({ state: 'withdrawn', basis: 'consent' });

    // Nothing more to withdraw for the newsletter; 'all' takes the rest. Then the contact is blocked altogether.
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.withdrawConsent({ contactId: contact.id, purpose: 'newsletter', evidence: 'igjen' })))).toEqual([expect.objectContaining({ field: 'purpose', messageKey: 'validation.crm_no_active_consent' })]);
    await expect(s.sales.crm.withdrawConsent({ contactId: contact.id, purpose: 'all', evidence: 'Ringte og trakk alt' })).resolves.toEqual({ withdrawn: ['account_follow_up'] });
    expect(await contactView(s, company.id, contact.id)).toMatchObject({ isBlocked: true, blockedPurposes: ['account_follow_up', 'newsletter'] });
    // A note or a task on a contact with no basis left is refused too.
    expect((await errorOf(activity(null as never, 'note'))).message).toBe(API_ERROR_MESSAGES.crmProcessingBlocked);
    expect((await errorOf(s.sales.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Ring', dueOn: TODAY }))).message).toBe(API_ERROR_MESSAGES.crmProcessingBlocked);
    // A new consent supersedes the withdrawal and opens the purpose again.
    s.clock.advance(MINUTE);
    await s.sales.crm.recordBasis({ contactId: contact.id, purpose: 'newsletter', basis: 'consent', source: 'contact_form', evidence: 'Meldte seg på igjen' });
    await expect(activity('newsletter')).resolves.toBeDefined();
    expect((await basesOf(s.db, contact.id)).filter((row) => row.purpose === 'newsletter').map((row) => row.state)).toEqual(['active', 'withdrawn', 'active']);
  });

  it('CRM-2, GDPR 21(3): an objection to direct marketing covers every direct-marketing purpose and is honoured — no legitimate interest can be recorded after it', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id, {
      bases: [
        { purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Proff.no' },
        { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Ja' },
        { purpose: 'account_follow_up', basis: 'contract', source: 'agreement', evidence: 'Avtale 7' },
      ],
    });
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.recordObjection({ contactId: contact.id, purpose: 'account_follow_up', evidence: 'x' })))).toEqual([
      expect.objectContaining({ field: 'purpose', messageKey: 'validation.crm_no_objectable_basis' }),
    ]);
    // Objecting to event invitations objects to direct sales too; the newsletter consent stays, as does the contract.
    await expect(s.sales.crm.recordObjection({ contactId: contact.id, purpose: 'event_invitations', evidence: 'Vil ikke kontaktes for salg', source: 'phone' })).resolves.toEqual({ objected: ['direct_sales', 'event_invitations'] });
    const view = await contactView(s, company.id, contact.id);
    expect(view.blockedPurposes).toEqual(['direct_sales', 'event_invitations']);
    expect(view.bases.map((basis) => [basis.purpose, basis.basis, basis.state])).toEqual([
      ['account_follow_up', 'contract', 'active'],
      ['direct_sales', 'legitimate_interest', 'objected'],
      ['newsletter', 'consent', 'active'],
      ['event_invitations', 'legitimate_interest', 'objected'],
    ]);
    expect(await eventsOf(s.db, { action: 'crm.legal_basis.objected' })).toHaveLength(2);

    const call = s.sales.crm.logActivity({ companyId: company.id, contactId: contact.id, kind: 'call', purpose: 'direct_sales', summary: 'Salgssamtale', occurredAt: s.clock.now().toISOString() });
    expect((await errorOf(call)).message).toBe(API_ERROR_MESSAGES.crmProcessingBlocked);
    for (const purpose of ['direct_sales', 'event_invitations'] as const) {
      expect(fieldErrorsFrom(await errorOf(s.sales.crm.recordBasis({ contactId: contact.id, purpose, basis: 'legitimate_interest', source: 'public_sources', evidence: 'Ny kilde' })))).toEqual([
        expect.objectContaining({ field: 'basis', messageKey: 'validation.crm_objection_stands' }),
      ]);
    }
    // Nothing left to object to.
    expect(await outcome(s.sales.crm.recordObjection({ contactId: contact.id, purpose: 'all', evidence: 'igjen' }))).toBe('BAD_REQUEST');
    // Only the person's own consent opens direct sales again.
    s.clock.advance(MINUTE);
    await s.sales.crm.recordBasis({ contactId: contact.id, purpose: 'direct_sales', basis: 'consent', source: 'meeting', evidence: 'Ba selv om tilbud' });
    await expect(s.sales.crm.logActivity({ companyId: company.id, contactId: contact.id, kind: 'meeting', purpose: 'direct_sales', summary: 'Tilbud', occurredAt: s.clock.now().toISOString() })).resolves.toBeDefined();
  });

  it('CRM-2: contactList and the export hold only contacts with an active basis for the purpose; the export is neutralised CSV, logged with the client address', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s, { name: '=Formel AS' });
    const newsletterConsent = [{ purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Ja' }];
    const active = await newContact(s, company.id, { fullName: '=HYPERLINK("http://x")', email: 'aktiv@example.test', phone: '+47 22 33 44 55', bases: newsletterConsent });
    const withdrawn = await newContact(s, company.id, { fullName: 'Trukket Tilbake', email: 'trukket@example.test', bases: newsletterConsent });
    const objected = await newContact(s, company.id, { fullName: 'Protest Person', email: 'protest@example.test' });
    await s.sales.crm.withdrawConsent({ contactId: withdrawn.id, purpose: 'newsletter', evidence: 'Nei takk' });
    await s.sales.crm.recordObjection({ contactId: objected.id, purpose: 'direct_sales', evidence: 'Nei takk' });

    expect((await s.sales.crm.contactList({ purpose: 'newsletter' })).map((row) => row.id)).toEqual([active.id]);
    expect((await s.sales.crm.contactList({ purpose: 'direct_sales' })).map((row) => row.id)).toEqual([]);
    expect((await s.sales.crm.contactList({ purpose: 'account_follow_up' })).map((row) => row.id).sort()).toEqual([objected.id]);

    const exported = await s.sales.crm.exportContacts({ purpose: 'newsletter' });
    expect(exported.fileName).toBe(`kontakter-newsletter-${TODAY}.csv`);
    const lines = exported.csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines[1]).toContain(`'+4722334455`);
    expect(lines[1]).toContain(`'=Formel AS`);
    expect(exported.csv).not.toMatch(/Trukket|Protest/);
    const [event] = await eventsOf(s.db, { action: 'crm.contacts.exported' });
    expect(event).toMatchObject({ user_id: s.salesUser.id, client_ip: '198.51.100.7', details: { purpose: 'newsletter', resultCount: 1 } });
    expect(await eventsOf(s.db, { action: 'crm.contacts.listed' })).toHaveLength(3);
  });
});

describe('CRM-3: activities and tasks', () => {
  const database = useTestDatabase();

  it('CRM-3: an activity needs a purpose with a contact (not for a note), none without one, and cannot lie in the future', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id);
    const now = s.clock.now().toISOString();
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.logActivity({ companyId: company.id, contactId: contact.id, kind: 'call', summary: 'x', occurredAt: now })))).toEqual([expect.objectContaining({ field: 'purpose', messageKey: 'validation.required' })]);
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.logActivity({ companyId: company.id, kind: 'call', purpose: 'direct_sales', summary: 'x', occurredAt: now })))).toEqual([expect.objectContaining({ field: 'purpose', messageKey: 'validation.crm_purpose_needs_contact' })]);
    const future = new Date(s.clock.now().getTime() + 60 * MINUTE).toISOString();
    expect(fieldErrorsFrom(await errorOf(s.sales.crm.logActivity({ companyId: company.id, kind: 'note', summary: 'x', occurredAt: future })))).toEqual([expect.objectContaining({ field: 'occurredAt', messageKey: 'validation.date_in_future' })]);
    await s.sales.crm.logActivity({ companyId: company.id, contactId: contact.id, kind: 'note', summary: 'Foretrekker e-post', occurredAt: now });
    s.clock.advance(MINUTE);
    await s.sales.crm.logActivity({ companyId: company.id, kind: 'note', summary: 'Bedriften flytter i mars', occurredAt: s.clock.now().toISOString() });
    await s.sales.crm.logActivity({ companyId: company.id, contactId: contact.id, kind: 'meeting', purpose: 'direct_sales', summary: 'Demo av tjenestene', occurredAt: new Date(s.clock.now().getTime() - 60 * MINUTE).toISOString() });
    const page = await s.sales.crm.company({ companyId: company.id });
    expect(page.activities.map((activity) => [activity.kind, activity.purpose, activity.contactName, activity.createdByName])).toEqual([
      ['note', null, null, 'Selger Siri'],
      ['note', null, 'Kari Nordmann', 'Selger Siri'],
      ['meeting', 'direct_sales', 'Kari Nordmann', 'Selger Siri'],
    ]);
    const events = await eventsOf(s.db, { action: 'crm.activity.logged' });
    expect(events.filter((event) => event.outcome === 'allowed')).toHaveLength(3);
    expect(JSON.stringify(events)).not.toMatch(/flytter|Demo av/);
  });

  it('CRM-3: my tasks — overdue first by the Oslo date, then by due date; others\' tasks not shown; done ones on request; versions guard changes', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s, { name: 'Oppgave AS' });
    const task = (title: string, dueOn: string, ownerId?: string) => s.sales.crm.createTask({ companyId: company.id, title, dueOn, ...(ownerId ? { ownerId } : {}) });
    const later = await task('Senere', '2026-12-10');
    const today = await task('I dag', TODAY);
    const lateOld = await task('Forfalt lenge', '2026-11-01');
    const lateRecent = await task('Forfalt i går', '2026-11-21');
    await task('Admins oppgave', '2026-11-01', s.adminUser.id);
    expect(fieldErrorsFrom(await errorOf(task('Legens', TODAY, s.clinicianUser.id)))).toEqual([expect.objectContaining({ field: 'ownerId', messageKey: 'validation.unknown_owner' })]);

    const mine = await s.sales.crm.myTasks({});
    expect(mine.map((row) => [row.title, row.isOverdue, row.companyName])).toEqual([
      ['Forfalt lenge', true, 'Oppgave AS'],
      ['Forfalt i går', true, 'Oppgave AS'],
      ['I dag', false, 'Oppgave AS'],
      ['Senere', false, 'Oppgave AS'],
    ]);
    expect((await s.admin.crm.myTasks({})).map((row) => row.title)).toEqual(['Admins oppgave']);

    // 23:30 UTC is already tomorrow in Oslo: "I dag" is now overdue.
    s.clock.set(new Date('2026-11-22T23:30:00Z'));
    // A new day's session (the morning's has expired by now).
    const sales = await s.as(s.salesUser);
    expect((await sales.crm.myTasks({})).map((row) => [row.title, row.isOverdue])).toEqual([
      ['Forfalt lenge', true],
      ['Forfalt i går', true],
      ['I dag', true],
      ['Senere', false],
    ]);

    await expect(sales.crm.completeTask({ taskId: lateOld.id, version: 1 })).resolves.toEqual({ id: lateOld.id, version: 2 });
    expect((await errorOf(sales.crm.completeTask({ taskId: lateOld.id, version: 1 }))).code).toBe('CONFLICT');
    expect(fieldErrorsFrom(await errorOf(sales.crm.completeTask({ taskId: lateOld.id, version: 2 })))).toEqual([expect.objectContaining({ messageKey: 'validation.crm_task_done' })]);
    await expect(sales.crm.updateTask({ taskId: lateRecent.id, version: 1, dueOn: '2026-12-20', title: 'Flyttet' })).resolves.toEqual({ id: lateRecent.id, version: 2 });
    await sales.crm.updateTask({ taskId: later.id, version: 1, ownerId: s.adminUser.id });
    expect((await sales.crm.myTasks({})).map((row) => row.title)).toEqual(['I dag', 'Flyttet']);
    expect((await sales.crm.myTasks({ includeDone: true })).map((row) => [row.title, row.doneAt !== null])).toEqual([
      ['I dag', false],
      ['Flyttet', false],
      ['Forfalt lenge', true],
    ]);
    expect(today.version).toBe(1);
    expect(await eventsOf(s.db, { action: 'crm.task.updated' })).toEqual([
      expect.objectContaining({ details: { changedFields: ['title', 'due_on'] } }),
      expect.objectContaining({ details: { changedFields: ['owner_id'] } }),
    ]);
    // The company page: open tasks and those done in the last 30 days.
    expect((await sales.crm.company({ companyId: company.id })).tasks.map((row) => row.title).sort()).toEqual(['Admins oppgave', 'Flyttet', 'Forfalt lenge', 'I dag', 'Senere']);
  });
});
