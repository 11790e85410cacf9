import type { Migration } from 'kysely';
import * as foundation from './2026-11-22T08-00_foundation';
import * as identityAndAudit from './2026-11-22T09-00_identity_and_audit';
import * as patientJournal from './2026-11-22T10-00_patient_journal';
import * as journalDeletion from './2026-11-22T11-00_journal_deletion';
import * as databaseBoundary from './2026-12-01T09-00_database_boundary';
import * as authLimits from './2026-12-01T10-00_auth_limits';
import * as consultations from './2026-12-05T10-00_consultations';
import * as noteTemplates from './2026-12-05T11-00_note_templates';
import * as homeVisits from './2026-12-06T09-00_home_visits';
import * as unloggedRateLimits from './2026-12-06T10-00_unlogged_rate_limits';
import * as crm from './2026-12-07T09-00_crm';
import * as dpoCases from './2026-12-08T09-00_dpo_cases';
import * as dpoLogReview from './2026-12-08T10-00_dpo_log_review';
import * as dpoFlags from './2026-12-08T11-00_dpo_flags';
import * as dpoRegisters from './2026-12-08T12-00_dpo_registers';
import * as dpoErasure from './2026-12-08T13-00_dpo_erasure';
import * as dpoExports from './2026-12-08T14-00_dpo_exports';
import * as auditEventPartitions from './2026-12-08T15-00_audit_event_partitions';
import * as auditRetirement from './2026-12-08T16-00_audit_retirement';
import * as retentionAccountsCorrespondence from './2026-12-08T17-00_retention_accounts_correspondence';
import * as dpoFlagsAll from './2026-12-09T09-00_dpo_flags_all';
import * as dsrCaseActions from './2026-12-09T10-00_dsr_case_actions';
import * as restrictionModules from './2026-12-09T10-00_restriction_modules';
import * as bookingNationalIdHmac from './2026-12-09T11-00_booking_national_id_hmac';
import * as customerErasureConfirmation from './2026-12-09T12-00_customer_erasure_confirmation';
import * as packageSections from './2026-12-09T13-00_package_sections';
import * as journalAccessFunction from './2026-12-10T10-00_journal_access_function';
import * as sessionInvalidation from './2026-12-10T11-00_session_invalidation';
import * as journalAccessFunctionInline from './2026-12-11T10-00_journal_access_function_inline';

/**
 * Every migration, by name, in the order they run. A static list rather than Kysely's
 * FileMigrationProvider: that one imports files at run time, which fails inside bundles and under
 * vitest (STACK.md). Names are date-prefixed and never change once released.
 */
export const migrations: Record<string, Migration> = {
  '2026-11-22T08-00_foundation': foundation,
  '2026-11-22T09-00_identity_and_audit': identityAndAudit,
  '2026-11-22T10-00_patient_journal': patientJournal,
  '2026-11-22T11-00_journal_deletion': journalDeletion,
  '2026-12-01T09-00_database_boundary': databaseBoundary,
  '2026-12-01T10-00_auth_limits': authLimits,
  '2026-12-05T10-00_consultations': consultations,
  '2026-12-05T11-00_note_templates': noteTemplates,
  '2026-12-06T09-00_home_visits': homeVisits,
  '2026-12-06T10-00_unlogged_rate_limits': unloggedRateLimits,
  '2026-12-07T09-00_crm': crm,
  '2026-12-08T09-00_dpo_cases': dpoCases,
  '2026-12-08T10-00_dpo_log_review': dpoLogReview,
  '2026-12-08T11-00_dpo_flags': dpoFlags,
  '2026-12-08T12-00_dpo_registers': dpoRegisters,
  '2026-12-08T13-00_dpo_erasure': dpoErasure,
  '2026-12-08T14-00_dpo_exports': dpoExports,
  '2026-12-08T15-00_audit_event_partitions': auditEventPartitions,
  '2026-12-08T16-00_audit_retirement': auditRetirement,
  '2026-12-08T17-00_retention_accounts_correspondence': retentionAccountsCorrespondence,
  '2026-12-09T09-00_dpo_flags_all': dpoFlagsAll,
  '2026-12-09T10-00_dsr_case_actions': dsrCaseActions,
  '2026-12-09T10-00_restriction_modules': restrictionModules,
  '2026-12-09T11-00_booking_national_id_hmac': bookingNationalIdHmac,
  '2026-12-09T12-00_customer_erasure_confirmation': customerErasureConfirmation,
  '2026-12-09T13-00_package_sections': packageSections,
  '2026-12-10T10-00_journal_access_function': journalAccessFunction,
  '2026-12-10T11-00_session_invalidation': sessionInvalidation,
  '2026-12-11T10-00_journal_access_function_inline': journalAccessFunctionInline,
};
