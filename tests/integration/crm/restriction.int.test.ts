import { describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES } from '../../../src/shared/api-errors';
import { errorOf } from '../audit/audit-helpers';
import { eventsOf } from '../support/identity';
import { restrictPerson } from '../support/restriction';
import { useTestDatabase } from '../support/test-database';
import { crmSetting, newCompany, newContact } from './crm-support';

// DPO-5 (GDPR art. 18): a contact person who asked for restriction of processing gets no new or
// changed follow-up tasks; the refusal is logged in the same unit of work and says why. Reading
// stays allowed, and another organisation's restriction of the same person changes nothing here.

describe('DPO-5: restriction of processing in the CRM’s tasks', () => {
  const database = useTestDatabase();

  it('DPO-5: a task for a restricted contact is refused (created or changed) and logged; the company’s other tasks and reads go on; lifted, it is allowed again', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id);
    const colleague = await newContact(s, company.id, { fullName: 'Ola Annen', email: 'ola.annen@fjordkraft.example', phone: '+47 22 99 88 77' });
    const planned = await s.sales.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Ring om avtalen', dueOn: '2026-12-01' });

    const { restrictionId, caseId, lift } = await restrictPerson(database.current, s.clock, s.organisation.id, { email: 'Kari.Nordmann@fjordkraft.example' }, ['crm']);

    const refusedCreate = await errorOf(s.sales.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Send tilbud', dueOn: '2026-12-02' }));
    expect(refusedCreate).toMatchObject({ code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted });
    const refusedUpdate = await errorOf(s.sales.crm.updateTask({ taskId: planned.id, version: planned.version, dueOn: '2026-12-10' }));
    expect(refusedUpdate).toMatchObject({ code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted });
    expect(await s.db.selectFrom('crm_task').select(['id', 'due_on', 'version']).where('contact_id', '=', contact.id).execute()).toEqual([{ id: planned.id, due_on: '2026-12-01', version: planned.version }]);

    const denials = await eventsOf(s.db, { action: 'dpo.processing.restricted' });
    expect(denials.map((event) => [event.outcome, event.reason, event.object_type, event.object_id, event.details.module, event.details.restrictionId, event.details.caseId, event.details.procedure])).toEqual([
      ['denied', 'processing_restricted', 'crm_contact', contact.id, 'crm', restrictionId, caseId, 'crm.createTask'],
      ['denied', 'processing_restricted', 'crm_contact', contact.id, 'crm', restrictionId, caseId, 'crm.updateTask'],
    ]);
    expect(JSON.stringify(denials)).not.toMatch(/kari|nordmann|22 33 44 55|\+4722334455/i);

    // Not the colleague at the same company, a task without a contact, or reading the company.
    await expect(s.sales.crm.createTask({ companyId: company.id, contactId: colleague.id, title: 'Ring Ola', dueOn: '2026-12-02' })).resolves.toMatchObject({ id: expect.any(String) });
    await expect(s.sales.crm.createTask({ companyId: company.id, title: 'Oppdater avtalen', dueOn: '2026-12-02' })).resolves.toMatchObject({ id: expect.any(String) });
    expect((await s.sales.crm.company({ companyId: company.id })).contacts.map((entry) => entry.id)).toContain(contact.id);

    await lift();
    await expect(s.sales.crm.updateTask({ taskId: planned.id, version: planned.version, dueOn: '2026-12-10' })).resolves.toMatchObject({ version: planned.version + 1 });
    await expect(s.sales.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Send tilbud', dueOn: '2026-12-02' })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it('DPO-5: another organisation’s restriction of the same person, or a restriction of other modules, does not stop this CRM', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id);
    await restrictPerson(database.current, s.clock, s.otherOrganisation.id, { email: 'kari.nordmann@fjordkraft.example', phone: '+47 22 33 44 55' }, ['crm']);
    await restrictPerson(database.current, s.clock, s.organisation.id, { email: 'kari.nordmann@fjordkraft.example' }, ['portal', 'home_visits']);
    await expect(s.sales.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Ring om avtalen', dueOn: '2026-12-01' })).resolves.toMatchObject({ id: expect.any(String) });
    expect(await eventsOf(s.db, { action: 'dpo.processing.restricted' })).toEqual([]);
  });

  it('DPO-5: matched by phone as well as e-mail', async () => {
    const s = await crmSetting(database.current);
    const company = await newCompany(s);
    const contact = await newContact(s, company.id);
    await restrictPerson(database.current, s.clock, s.organisation.id, { phone: '22 33 44 55' }, ['crm']);
    expect((await errorOf(s.sales.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Ring', dueOn: '2026-12-01' }))).message).toBe(API_ERROR_MESSAGES.processingRestricted);
  });
});
