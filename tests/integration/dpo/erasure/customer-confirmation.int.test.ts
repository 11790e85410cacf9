import { describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../../../../src/server/audit/verify';
import { hashIds } from '../../../../src/server/retention/erasure';
import { errorOf, fieldErrorsFrom, sealEverything } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { EVA, erasureSetting, insertCase, insertEmployee, OTHER } from './erasure-support';

// DPO-5: a customer's employee, while the customer's agreement runs, is the employer's to decide
// about. The erasure plan keeps the record as awaiting the customer's confirmation; the DPO records
// who at the customer confirmed, when and how, and only that erases it — in the same transaction,
// with its receipt in the tamper-evident log. A legal hold still stops it.

const CONFIRMATION = { confirmedByName: 'Hanne HR', confirmedByRole: 'HR-leder', confirmedOn: '2026-11-21', channel: 'email' as const, note: 'E-post «Sletting av ansatt» 21.11.' };

type Found = Awaited<ReturnType<Awaited<ReturnType<typeof erasureSetting>>['dpo']['dpo']['erasure']['find']>>;
const employeeItem = (found: Found, id: string) => found.categories.find((category) => category.name === 'portal.employee')?.items.find((item) => item.id === id);

describe('DPO-5: erasing a customer’s employee while the agreement runs needs the customer’s confirmation', () => {
  const database = useTestDatabase();

  it('DPO-5: the plan marks the employee awaiting the customer; the run keeps it; the recorded confirmation erases it, logged with a receipt, shown with the case', async () => {
    const s = await erasureSetting(database.current);
    const org = s.organisation.id;
    const running = await insertEmployee(s.db, org, { nationalId: EVA.nationalId, endsOn: null });
    const ended = await insertEmployee(s.db, org, { nationalId: EVA.nationalId, endsOn: '2026-10-31' });
    const caseId = await insertCase(s.db, org, s.dpoUser.id);

    const found = await s.dpo.dpo.erasure.find({ caseId });
    expect(employeeItem(found, running)).toMatchObject({ action: 'keep', groundCode: 'portal.employee.agreement', awaits: { kind: 'customer_confirmation', companyName: expect.stringMatching(/^Kunde /) } });
    expect(employeeItem(found, ended)).toMatchObject({ action: 'erase', groundCode: null });
    expect(employeeItem(found, ended)?.awaits).toBeUndefined();
    expect(found.confirmations).toEqual([]);

    // The run erases the ended agreement's employee and keeps the running one, awaiting.
    const plan = await s.dpo.dpo.erasure.plan({ caseId });
    await s.dpo.dpo.erasure.execute({ caseId, planHash: plan.planHash, cutWaitingShort: true, reason: 'Personen ba om rask sletting.' });
    expect((await s.db.selectFrom('corporate_employee').select('id').where('id', 'in', [running, ended]).execute()).map((row) => row.id)).toEqual([running]);
    await sealEverything(s.db);

    const { confirmationId } = await s.dpo.dpo.erasure.confirmCustomer({ caseId, employeeId: running, ...CONFIRMATION });
    expect(await s.db.selectFrom('corporate_employee').select('id').where('id', '=', running).execute()).toEqual([]);

    const [confirmed] = await eventsOf(s.db, { action: 'dpo.erasure.customer_confirmed' });
    expect(confirmed).toMatchObject({ outcome: 'allowed', user_id: s.dpoUser.id, object_type: 'dsr_case', object_id: caseId, details: { confirmationId, category: 'portal.employee', channel: 'email', confirmedOn: '2026-11-21' } });
    const receipts = await eventsOf(s.db, { action: 'dpo.erasure.receipt' });
    expect(receipts.at(-1)).toMatchObject({ object_id: 'portal.employee', details: { caseId, method: 'erased', count: 1, idsSha256: hashIds([running]), confirmationId } });
    // Who at the customer confirmed stays in the record, not in the log; no id of the erased row either.
    expect(JSON.stringify([confirmed, receipts])).not.toMatch(/Hanne|HR-leder|Sletting av ansatt/);
    expect(JSON.stringify(receipts)).not.toContain(running);
    expect((await sealEverything(s.db)).isIntact).toBe(true);
    expect((await verifyAuditLog(s.db)).isIntact).toBe(true);

    // Shown with the case: on the search and with the report.
    const shown = { id: confirmationId, employeeId: running, confirmedByName: 'Hanne HR', confirmedByRole: 'HR-leder', confirmedOn: '2026-11-21', channel: 'email', note: CONFIRMATION.note, recordedByName: 'Petter Personvern' };
    expect((await s.dpo.dpo.erasure.find({ caseId })).confirmations).toEqual([expect.objectContaining(shown)]);
    expect((await s.dpo.dpo.erasure.report({ caseId })).confirmations).toEqual([expect.objectContaining(shown)]);
    // Once: the employee is gone.
    expect((await errorOf(s.dpo.dpo.erasure.confirmCustomer({ caseId, employeeId: running, ...CONFIRMATION }))).code).toBe('NOT_FOUND');
  });

  it('DPO-5: refused for another person’s employee, one whose agreement has ended, one a legal hold keeps, a date in the future; another organisation’s employee is not found; nothing erased', async () => {
    const s = await erasureSetting(database.current);
    const org = s.organisation.id;
    const evas = await insertEmployee(s.db, org, { nationalId: EVA.nationalId, endsOn: null });
    const ended = await insertEmployee(s.db, org, { nationalId: EVA.nationalId, endsOn: '2026-10-31' });
    const others = await insertEmployee(s.db, org, { nationalId: OTHER.nationalId, endsOn: null });
    const foreign = await insertEmployee(s.db, s.otherOrganisation.id, { nationalId: EVA.nationalId, endsOn: null });
    const caseId = await insertCase(s.db, org, s.dpoUser.id);
    const confirm = (employeeId: string, overrides: Record<string, unknown> = {}) => s.dpo.dpo.erasure.confirmCustomer({ caseId, employeeId, ...CONFIRMATION, ...overrides });
    const messagesOf = async (call: Promise<unknown>) => fieldErrorsFrom(await errorOf(call)).map((error) => `${error.field}:${error.messageKey}`);

    expect(await messagesOf(confirm(others))).toEqual(['employeeId:dpoErasure.error.notThePersons']);
    expect(await messagesOf(confirm(ended))).toEqual(['employeeId:dpoErasure.error.notAwaitingConfirmation']);
    expect(await messagesOf(confirm(evas, { confirmedOn: '2026-11-23' }))).toEqual(['confirmedOn:validation.date_in_future']);
    const foreignAnswer = await errorOf(confirm(foreign));
    const madeUp = await errorOf(confirm('6f1c2b1e-0000-4000-8000-000000000000'));
    expect({ code: foreignAnswer.code, message: foreignAnswer.message }).toEqual({ code: madeUp.code, message: madeUp.message });
    expect(foreignAnswer.code).toBe('NOT_FOUND');

    const { holdId } = await s.dpo.dpo.erasure.setHold({ scope: 'person', caseId, reason: 'litigation' });
    expect(employeeItem(await s.dpo.dpo.erasure.find({ caseId }), evas)).toMatchObject({ action: 'keep', groundCode: 'legal_hold' });
    expect(await messagesOf(confirm(evas))).toEqual(['employeeId:dpoErasure.error.held']);

    // An access request, or a clinician, erases nothing.
    const access = await insertCase(s.db, org, s.dpoUser.id, { kind: 'access' });
    expect(await messagesOf(s.dpo.dpo.erasure.confirmCustomer({ caseId: access, employeeId: evas, ...CONFIRMATION }))).toEqual(['caseId:dpoErasure.error.notErasureCase']);
    expect((await errorOf(s.clinician.dpo.erasure.confirmCustomer({ caseId, employeeId: evas, ...CONFIRMATION }))).code).toBe('FORBIDDEN');

    expect(await s.db.selectFrom('corporate_employee').select('id').where('organisation_id', '=', org).execute()).toHaveLength(3);
    expect(await s.db.selectFrom('customer_erasure_confirmation').select('id').execute()).toEqual([]);
    expect(await eventsOf(s.db, { action: 'dpo.erasure.customer_confirmed' })).toEqual([]);

    // Lifted, the confirmation goes through.
    await s.dpo.dpo.erasure.liftHold({ holdId });
    await expect(confirm(evas)).resolves.toMatchObject({ confirmationId: expect.any(String) });
  });
});
