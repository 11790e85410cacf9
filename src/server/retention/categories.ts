import { crmLeadContactRetentionCategory } from '../crm/retention-category';
import { employeeRetentionCategory } from '../portal/retention-category';
import { bookingRetentionCategory } from '../visits/retention-category';
import type { RetentionCategory } from './category';

/**
 * The retention registry (DPO-6): every module's data categories, in the order a run takes them.
 * A module adds its category here (CRM leads, correspondence, inactive accounts next); the
 * schedule, the dry run and the DPO workspace read this list and nothing else.
 */
export const RETENTION_CATEGORIES: readonly RetentionCategory[] = [bookingRetentionCategory, crmLeadContactRetentionCategory, employeeRetentionCategory];
