import { auditLogCategory } from '../audit/retention-category';
import { appointmentCategory } from '../consultation/retention-category';
import { crmCorrespondenceRetentionCategory, crmLeadContactRetentionCategory } from '../crm/retention-category';
import { journalCategory, journalConsentCategory } from '../journal/retention-category';
import { employeeRetentionCategory } from '../portal/retention-category';
import { inactiveAccountRetentionCategory, userAccountCategory } from '../user/retention-category';
import { bookingRetentionCategory } from '../visits/retention-category';
import { accountingCategory } from './accounting-category';
import type { PersonDataCategory, RetentionCategory, ScheduledPersonDataCategory } from './category';

/** The categories both the schedule and a data-subject request go through. */
const SCHEDULED_PERSON_CATEGORIES: readonly ScheduledPersonDataCategory[] = [bookingRetentionCategory, crmLeadContactRetentionCategory, employeeRetentionCategory];

/**
 * The retention registry (DPO-6): every module's data categories, in the order a run takes them.
 * A module adds its category here; the schedule, the dry run and the DPO workspace read this list
 * and nothing else. Correspondence and inactive accounts are the schedule's only: a request
 * reaches the same rows through the lead contacts (whose activities go with them) and the accounts.
 */
export const RETENTION_CATEGORIES: readonly RetentionCategory[] = [...SCHEDULED_PERSON_CATEGORIES, crmCorrespondenceRetentionCategory, inactiveAccountRetentionCategory];

/**
 * The registry's per-person side (DPO-5): every category that holds something of a person — the
 * scheduled ones above, and those a request finds but the schedule does not run (accounts, the
 * journal and its consents, the audit log, accounting). A data-subject request's search, dry run
 * and erasure go through this list and nothing else.
 */
export const PERSON_DATA_CATEGORIES: readonly PersonDataCategory[] = [
  ...SCHEDULED_PERSON_CATEGORIES,
  userAccountCategory,
  journalCategory,
  journalConsentCategory,
  appointmentCategory,
  auditLogCategory,
  accountingCategory,
];

/** The category of that name that can tell whether an organisation owns an object (a legal hold on one object). */
export function objectHoldCategory(name: string): Pick<RetentionCategory, 'ownsObject'> | undefined {
  return [...PERSON_DATA_CATEGORIES, ...RETENTION_CATEGORIES].find((category) => category.name === name && category.ownsObject !== undefined);
}
