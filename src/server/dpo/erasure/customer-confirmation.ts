import type { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import type { confirmCustomerErasureSchema } from '../../../shared/dpo-erasure-schemas';
import { osloCalendarDate } from '../../../shared/oslo-time';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { DomainError, fieldError, notFound } from '../../errors';
import { employeeRetentionCategory } from '../../portal/retention-category';
import { hashIds } from '../../retention/erasure';
import { activeHoldsFor, applyHolds, LEGAL_HOLD_GROUND } from '../../retention/holds';
import { insertCustomerConfirmation } from './repository';
import { loadCase, requireErasable, resolvedPerson } from './service';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now' | 'secretBox'>;

/**
 * DPO-5: a customer's employee while the customer's agreement runs. The employer decides about its
 * employee list, so the erasure plan keeps the record as awaiting the customer's confirmation; the
 * DPO records who at the customer confirmed, on which day and how, and that record erases the
 * employee in the same transaction, with its receipt in the tamper-evident log (a hash of the id,
 * as every erasure receipt). Only an item the person's erasure request found and marked awaiting:
 * not another person's record, not one a legal hold keeps (failing closed: an unreadable hold
 * table aborts it), not one whose agreement has ended (the plan's run erases that one).
 * The events hold ids and codes; who at the customer confirmed stays in the record.
 */
export async function confirmCustomerErasure(deps: Deps, user: SessionUser, input: z.output<typeof confirmCustomerErasureSchema>): Promise<{ confirmationId: string }> {
  const row = await loadCase(deps, user, input.caseId);
  requireErasable(row);
  if (input.confirmedOn > osloCalendarDate(deps.now)) throw fieldError('confirmedOn', 'validation.date_in_future');
  const employee = await deps.trx
    .selectFrom('corporate_employee')
    .select(['id', 'company_id'])
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', input.employeeId)
    .forUpdate()
    .executeTakeFirst();
  // Another organisation's employee, or one that is gone: the same answer as an id that never was.
  if (!employee) throw notFound();
  const person = await resolvedPerson(deps, user, row);
  const holds = await activeHoldsFor(deps.trx, user.organisationId, person);
  const items = applyHolds(employeeRetentionCategory.name, await employeeRetentionCategory.findForPerson(deps.trx, { organisationId: user.organisationId, person, now: deps.now }), holds);
  const item = items.find((candidate) => candidate.id === employee.id);
  if (!item) throw fieldError('employeeId', 'dpoErasure.error.notThePersons');
  if (item.groundCode === LEGAL_HOLD_GROUND) throw fieldError('employeeId', 'dpoErasure.error.held');
  if (!item.awaits) throw fieldError('employeeId', 'dpoErasure.error.notAwaitingConfirmation');

  const confirmationId = await insertCustomerConfirmation(deps.trx, {
    organisationId: user.organisationId,
    caseId: row.id,
    employeeId: employee.id,
    companyId: employee.company_id,
    confirmedByName: input.confirmedByName,
    confirmedByRole: input.confirmedByRole,
    confirmedOn: input.confirmedOn,
    channel: input.channel,
    note: input.note,
    recordedBy: user.userId,
    recordedAt: deps.now,
  });
  const changed = await employeeRetentionCategory.eraseForPerson(deps.trx, [employee.id], deps.now);
  if (changed !== 1) throw new DomainError('conflict', API_ERROR_MESSAGES.recordChanged);
  deps.audit.record({
    action: 'dpo.erasure.customer_confirmed',
    objectType: 'dsr_case',
    objectId: row.id,
    details: { confirmationId, category: employeeRetentionCategory.name, companyId: employee.company_id, channel: input.channel, confirmedOn: input.confirmedOn },
  });
  deps.audit.record({
    action: 'dpo.erasure.receipt',
    objectType: 'retention_category',
    objectId: employeeRetentionCategory.name,
    details: { caseId: row.id, category: employeeRetentionCategory.name, method: employeeRetentionCategory.erasureMethod, count: changed, idsSha256: hashIds([employee.id]), confirmationId },
  });
  return { confirmationId };
}
