import { auditLogCategory } from '../audit/retention-category';
import { appointmentCategory } from '../consultation/retention-category';
import { crmLeadContactRetentionCategory } from '../crm/retention-category';
import { journalCategory, journalConsentCategory } from '../journal/retention-category';
import { employeeRetentionCategory } from '../portal/retention-category';
import { userAccountCategory } from '../user/retention-category';
import { bookingRetentionCategory } from '../visits/retention-category';
import { accountingCategory } from './accounting-category';
import type { PersonDataCategory, RetentionCategory } from './category';

/**
 * The retention registry (DPO-6): every module's data categories, in the order a run takes them.
 * A module adds its category here (CRM leads, correspondence, inactive accounts next); the
 * schedule, the dry run and the DPO workspace read this list and nothing else.
 */
export const RETENTION_CATEGORIES: readonly RetentionCategory[] = [bookingRetentionCategory, crmLeadContactRetentionCategory, employeeRetentionCategory];

/**
 * The registry's per-person side (DPO-5): every category that holds something of a person — the
 * scheduled ones above, and those a request finds but the schedule does not run (accounts, the
 * journal and its consents, the audit log, accounting). A data-subject request's search, dry run
 * and erasure go through this list and nothing else.
 */
export const PERSON_DATA_CATEGORIES: readonly PersonDataCategory[] = [
  ...RETENTION_CATEGORIES,
  userAccountCategory,
  journalCategory,
  journalConsentCategory,
  appointmentCategory,
  auditLogCategory,
  accountingCategory,
];
