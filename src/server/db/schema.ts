import type { ColumnType, Generated } from 'kysely';
import type { DpoCaseTables } from './dpo/cases';
import type { DpoErasureTables } from './dpo/erasure';
import type { DpoExportTables } from './dpo/exports';
import type { DpoFlagTables } from './dpo/flags';
import type { DpoLogTables } from './dpo/log';
import type { DpoRegisterTables } from './dpo/registers';

/**
 * The database as the application sees it, written by hand next to the migrations (one file to
 * read). tests/integration/platform/schema-types.int.test.ts holds it to the migrated database:
 * the same tables and columns, nullability and kind of type, on PGlite and PostgreSQL.
 * Columns the database fills (ids, timestamps) are Generated or never insertable.
 */
type SetByDatabase<T> = ColumnType<T, never, never>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  organisation_number: string | null;
  is_demo: Generated<boolean>;
  created_at: SetByDatabase<Date>;
  draft_age_limit_days: Generated<number>;
  /** VIS-4: days after a visit ends before its booking data is anonymised. */
  booking_retention_days: Generated<number>;
  /** VIS-3: minutes a doctor has to accept an assignment before it returns to the coordinators. */
  assignment_ack_minutes: Generated<number>;
  /** VIS-1: the key the public booking form names the clinic by; null: no public form. */
  booking_form_key: Generated<string | null>;
  /** CRM-2: the key the public contact form names the organisation by; null: no public form. */
  contact_form_key: Generated<string | null>;
  /** CRM retention: days a lead's contacts stay after the last activity. */
  crm_lead_retention_days: Generated<number>;
  /** CRM-4 retention: days employees stay after their company's agreement ended. */
  crm_employee_retention_days: Generated<number>;
  /** DPO-2: the working day in Oslo wall-clock minutes and ISO weekdays (the outside_hours flag). */
  working_hours_start_minute: Generated<number>;
  working_hours_end_minute: Generated<number>;
  working_days: Generated<number[]>;
}

export interface InstallationSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

/** The DPO's workspace (DPO-1…8) keeps its tables in db/dpo/, a file per area. */
export interface DB
  extends IdentityTables,
    JournalTables,
    VisitTables,
    JobTables,
    CrmTables,
    ImportTables,
    DpoCaseTables,
    DpoLogTables,
    DpoFlagTables,
    DpoRegisterTables,
    DpoErasureTables,
    DpoExportTables {
  organisation: OrganisationTable;
  installation_setting: InstallationSettingTable;
}

export type UserStatus = 'invited' | 'active' | 'disabled';

export interface AppUserTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  display_name: string;
  phone: string;
  profession: string | null;
  hpr_number: string | null;
  status: Generated<UserStatus>;
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_enrolled_at: Date | null;
  totp_last_used_step: ColumnType<string | null, number | null | undefined, number | null>;
  failed_attempts: Generated<number>;
  lockout_count: Generated<number>;
  locked_until: Date | null;
  is_locked_by_admin: Generated<boolean>;
  last_login_at: Date | null;
  created_at: SetByDatabase<Date>;
  /** When the account-wide failure window began (AUTH-4: the backstop's failures decay). */
  failure_window_started_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** DPO-2: the keyed hash of the user's national identity number, if known (the own_record flag). */
  national_id_hmac: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  /** DPO-6: when the account was warned of anonymisation for inactivity; the next login clears it. */
  inactivity_warned_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** DPO-5, DPO-6: when the account was anonymised (by the schedule or a data-subject request). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** AUTH-4: failures of one account from one source address, with that pair's own lock. */
export interface LoginFailureTable {
  organisation_id: string;
  user_id: string;
  source: string;
  failures: Generated<number>;
  lockout_count: Generated<number>;
  locked_until: Date | null;
  last_failure_at: Date;
}

/** PLAT-9: one rate-limit window per key (a SHA-256 of procedure and source), shared by all instances. */
export interface RateLimitCounterTable {
  key_hash: Buffer;
  hits: number;
  window_ends_at: Date;
}

export interface RoleGrantTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  role: string;
  granted_at: Generated<Date>;
  granted_by: string | null;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface InvitationTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  token_hash: Buffer;
  sms_code_hash: Buffer;
  sms_code_attempts: Generated<number>;
  sms_verified_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  code_hash: Buffer;
  created_at: Generated<Date>;
  used_at: Date | null;
}

export interface LoginChallengeTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  ticket_hash: Buffer;
  device_id: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
  /** AUTH-3: the re-enrolment code sent by SMS after a reset, as a keyed hash. */
  sms_code_hash: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  sms_code_attempts: Generated<number>;
  sms_verified_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface UserDeviceTable {
  organisation_id: string;
  user_id: string;
  device_id: string;
  first_seen_at: Generated<Date>;
  last_seen_at: Generated<Date>;
}

export type SessionEndReason = 'logout' | 'revoked' | 'expired' | 'second_factor_reset' | 'locked';

export interface SessionTable {
  id: Generated<string>;
  organisation_id: string;
  user_id: string;
  token_hash: Buffer;
  auth_method: string;
  device_id: string | null;
  created_at: Date;
  last_seen_at: Date;
  second_factor_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: SessionEndReason | null;
  /** Wrong unlock passwords and step-up codes in this session; the fifth ends it (AUTH-4). */
  failed_attempts: Generated<number>;
}

export interface OutboxMessageTable {
  id: Generated<string>;
  organisation_id: string | null;
  channel: 'sms' | 'email' | 'notifier';
  recipient: string;
  template: string;
  subject: string | null;
  /** Null once purged after delivery: links and codes do not stay in the database (issue 8 §5). */
  body: ColumnType<string | null, string, string | null>;
  created_at: Generated<Date>;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  sent_at: Date | null;
  provider: string | null;
  purged_at: ColumnType<Date | null, never, Date | null>;
}

export interface AuditEventTable {
  id: ColumnType<string, never, never>;
  txid: ColumnType<string, never, never>;
  organisation_id: string | null;
  occurred_at: Date;
  user_id: string | null;
  user_display_name: string | null;
  user_roles: string[];
  profession: string | null;
  session_id: string | null;
  auth_method: string | null;
  device_id: string | null;
  action: string;
  outcome: 'allowed' | 'denied';
  reason: string | null;
  patient_id: string | null;
  object_type: string | null;
  object_id: string | null;
  basis: string | null;
  client_ip: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
}

export interface AuditSealTable {
  seq: string;
  sealed_at: Generated<Date>;
  txid_from: string;
  txid_to: string;
  event_count: number;
  event_ids: string[];
  event_hashes: Buffer;
  previous_hash: Buffer;
  hash: Buffer;
}

/**
 * A month of the audit log dropped after ten years (DPO-6): written only by the database function
 * audit_retire_partitions, with the drop it records; the application reads it.
 */
export interface AuditRetirementTable {
  id: ColumnType<string, never, never>;
  /** The month's first day, 'yyyy-mm-dd'. */
  month: ColumnType<string, never, never>;
  range_from: ColumnType<Date, never, never>;
  range_to: ColumnType<Date, never, never>;
  partition_name: ColumnType<string, never, never>;
  event_count: ColumnType<string, never, never>;
  events_by_organisation: ColumnType<{ organisationId: string | null; count: number }[], never, never>;
  first_seal_seq: ColumnType<string | null, never, never>;
  last_seal_seq: ColumnType<string | null, never, never>;
  chain_hash: ColumnType<Buffer | null, never, never>;
  cutoff: ColumnType<Date, never, never>;
  retired_at: ColumnType<Date, never, never>;
  run_id: ColumnType<string, never, never>;
}

export interface IdentityTables {
  app_user: AppUserTable;
  role_grant: RoleGrantTable;
  invitation: InvitationTable;
  recovery_code: RecoveryCodeTable;
  login_challenge: LoginChallengeTable;
  login_failure: LoginFailureTable;
  rate_limit_counter: RateLimitCounterTable;
  user_device: UserDeviceTable;
  session: SessionTable;
  outbox_message: OutboxMessageTable;
  audit_event: AuditEventTable;
  audit_seal: AuditSealTable;
  audit_retirement: AuditRetirementTable;
}

/** Calendar dates (no time zone) travel as 'yyyy-mm-dd' strings on both PostgreSQL and PGlite. */
type CalendarDate = string;

export interface PatientTable {
  id: Generated<string>;
  organisation_id: string;
  national_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: CalendarDate;
  gender: 'female' | 'male' | 'other' | 'unknown';
  address: string | null;
  phone: string | null;
  email: string | null;
  next_of_kin: string | null;
  created_at: Generated<Date>;
  created_by: string | null;
  updated_at: Generated<Date>;
}

export interface CareRelationshipTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  user_id: string;
  kind: 'assigned_clinician' | 'care_team';
  starts_at: Date;
  ends_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface AppointmentTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  clinician_id: string;
  kind: 'consultation' | 'home_visit';
  starts_at: Date;
  status: Generated<'booked' | 'completed' | 'cancelled'>;
  created_at: Generated<Date>;
  duration_minutes: Generated<number>;
  mode: Generated<ConsultationMode>;
  /** Null for rows from before consultations were booked in the app (JRN-6); nullable columns default to null. */
  created_by: Generated<string | null>;
  updated_at: Generated<Date | null>;
  updated_by: Generated<string | null>;
  cancelled_at: Generated<Date | null>;
  cancelled_by: Generated<string | null>;
}

export type ConsultationMode = 'in_person' | 'video' | 'phone';

export interface JournalNoteTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  author_id: string;
  note_type: string;
  consultation_date: CalendarDate;
  status: Generated<'draft' | 'signed' | 'amended'>;
  current_version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface JournalNoteVersionTable {
  id: Generated<string>;
  organisation_id: string;
  note_id: string;
  version: number;
  body: string;
  amendment_reason: string | null;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  signed_by: string | null;
  signed_at: Date | null;
  signed_auth_method: string | null;
  content_hash: Buffer | null;
}

export interface PatientConsentTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  given_by: 'patient' | 'guardian' | 'representative';
  method: 'verbal' | 'written' | 'digital';
  given_at: Date;
  recorded_by: string;
  recorded_at: Generated<Date>;
  scope: 'whole_journal' | 'selected_notes';
  purpose: string;
  withdrawn_at: Date | null;
  withdrawn_by: string | null;
}

export interface ReadShareTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  grantee_id: string;
  granted_by: string;
  consent_id: string;
  scope: 'whole_journal' | 'selected_notes';
  note_ids: Generated<string[]>;
  purpose: string;
  starts_at: Date;
  ends_at: Date;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export interface BreakGlassAccessTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  user_id: string;
  reason_code: string;
  reason_text: string | null;
  started_at: Date;
  expires_at: Date;
  ended_at: Date | null;
}

export interface PatientBlockTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  blocked_user_id: string;
  scope: 'whole_journal' | 'selected_notes';
  note_ids: Generated<string[]>;
  requested_at: Date;
  recorded_by: string;
  recorded_at: Generated<Date>;
  lifted_at: Date | null;
  lifted_by: string | null;
}

/** JRN-4: a documented deletion decision; the note it names is gone (no foreign key). Insert-only. */
export interface JournalDeletionTable {
  id: Generated<string>;
  organisation_id: string;
  patient_id: string;
  note_id: string;
  versions_deleted: number;
  legal_ground: 'incorrect_or_misleading' | 'not_necessary';
  is_harmless_for_general_interests: boolean;
  is_compatible_with_archive_law: boolean;
  requested_at: CalendarDate;
  reason: string;
  decided_by: string;
  decided_at: Date;
  consulted_author_id: string | null;
  author_not_consulted_reason: 'author_is_decider' | 'author_no_longer_employed' | 'author_unavailable' | null;
  /** Set by the insert trigger to the recording transaction. */
  txid: ColumnType<string, never, never>;
}

/** JRN-7: the headings a new draft of this type starts from, as the clinic edited them. */
export interface NoteTemplateTable {
  organisation_id: string;
  note_type: string;
  body: string;
  updated_by: string;
  updated_at: Date;
}

export interface JournalTables {
  patient: PatientTable;
  care_relationship: CareRelationshipTable;
  appointment: AppointmentTable;
  journal_note: JournalNoteTable;
  journal_note_version: JournalNoteVersionTable;
  patient_consent: PatientConsentTable;
  read_share: ReadShareTable;
  break_glass_access: BreakGlassAccessTable;
  patient_block: PatientBlockTable;
  journal_deletion: JournalDeletionTable;
  note_template: NoteTemplateTable;
}

// ---------------------------------------------------------------------------------------------
// Home-visit dispatch (VIS-1…4)
// ---------------------------------------------------------------------------------------------

export const BOOKING_STATUSES = ['requested', 'assigned', 'en_route', 'arrived', 'completed', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export interface VisitZoneTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  postcode_prefixes: string[];
}

export interface DoctorShiftTable {
  id: Generated<string>;
  organisation_id: string;
  doctor_id: string;
  zone_id: string | null;
  starts_at: Date;
  ends_at: Date;
  visit_cap: Generated<number>;
  created_at: Generated<Date>;
}

export interface HomeVisitBookingTable {
  id: Generated<string>;
  organisation_id: string;
  source: 'web' | 'phone';
  idempotency_key: string | null;
  /** The person's data, as typed: null once anonymised (VIS-4). */
  full_name: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  gender: 'female' | 'male' | 'other' | 'unknown' | null;
  date_of_birth: CalendarDate | null;
  national_id: string | null;
  /** The number's keyed hash (portal/national-id.ts), so a legal hold or a restriction on the person matches in SQL (DPO-5). */
  national_id_hmac: ColumnType<Buffer | null, Buffer | null | undefined, Buffer | null>;
  phone: string | null;
  email: string | null;
  reason: string | null;
  urgency: 'normal' | 'urgent';
  earliest_at: Date;
  latest_at: Date;
  zone_id: string | null;
  status: Generated<BookingStatus>;
  doctor_id: string | null;
  assigned_at: Date | null;
  accepted_at: Date | null;
  eta: Date | null;
  en_route_at: Date | null;
  arrived_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  patient_id: string | null;
  documentation_note_id: string | null;
  appointment_id: string | null;
  retention_hold: string | null;
  retention_hold_by: string | null;
  retention_hold_at: Date | null;
  anonymised_at: Date | null;
  version: Generated<number>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
}

export interface BookingStatusChangeTable {
  id: SetByDatabase<string>;
  organisation_id: string;
  booking_id: string;
  from_status: BookingStatus | null;
  to_status: BookingStatus;
  doctor_id: string | null;
  changed_by: string | null;
  is_automatic: Generated<boolean>;
  reason: string | null;
  changed_at: Date;
}

export interface VisitExceptionTable {
  id: Generated<string>;
  organisation_id: string;
  booking_id: string;
  kind: 'late_start' | 'patient_not_home' | 'access_problem' | 'other';
  recorded_by: string | null;
  recorded_at: Date;
}

export interface VisitTables {
  visit_zone: VisitZoneTable;
  doctor_shift: DoctorShiftTable;
  home_visit_booking: HomeVisitBookingTable;
  booking_status_change: BookingStatusChangeTable;
  visit_exception: VisitExceptionTable;
}

// ---------------------------------------------------------------------------------------------
// The job runner (ADR 0011)
// ---------------------------------------------------------------------------------------------

export interface BackgroundJobTable {
  id: SetByDatabase<string>;
  organisation_id: string | null;
  kind: string;
  dedupe_key: string | null;
  payload: ColumnType<unknown, string | undefined, string>;
  run_at: Date;
  status: Generated<'queued' | 'running' | 'done' | 'failed' | 'cancelled'>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  locked_by: string | null;
  locked_until: Date | null;
  progress: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface JobTables {
  background_job: BackgroundJobTable;
}

// ---------------------------------------------------------------------------------------------
// Corporate CRM and portal (CRM-1…5)
// ---------------------------------------------------------------------------------------------

export const COMPANY_STATUSES = ['lead', 'prospect', 'customer', 'former'] as const;
export type CompanyStatus = (typeof COMPANY_STATUSES)[number];
export type ContactPurpose = 'account_follow_up' | 'direct_sales' | 'newsletter' | 'event_invitations';
export type LegalBasisKind = 'consent' | 'legitimate_interest' | 'contract';
export type LegalBasisState = 'active' | 'withdrawn' | 'objected';

export interface CompanyTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  organisation_number: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  industry: string | null;
  status: Generated<CompanyStatus>;
  status_changed_at: Date;
  source: 'contact_form' | 'public_sources' | 'manual';
  owner_id: string | null;
  /** Its contacts' names and e-mail addresses, kept by a trigger on crm_contact (for the search). */
  contact_text: SetByDatabase<string>;
  /** Generated by the database from name, number, city and contact_text. */
  search_vector: SetByDatabase<string | null>;
  version: Generated<number>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
}

export interface CompanyStatusChangeTable {
  id: SetByDatabase<string>;
  organisation_id: string;
  company_id: string;
  from_status: CompanyStatus | null;
  to_status: CompanyStatus;
  changed_by: string | null;
  changed_at: Date;
}

export interface CrmContactTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  full_name: string;
  job_title: string | null;
  email: string | null;
  phone: string | null;
  source: 'contact_form' | 'public_sources' | 'customer' | 'manual';
  idempotency_key: string | null;
  version: Generated<number>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
}

export interface ContactLegalBasisTable {
  id: Generated<string>;
  organisation_id: string;
  contact_id: string;
  purpose: ContactPurpose;
  basis: LegalBasisKind;
  state: LegalBasisState;
  source: 'contact_form' | 'public_sources' | 'agreement' | 'phone' | 'email' | 'meeting' | 'other';
  evidence: string;
  review_on: CalendarDate | null;
  recorded_at: Date;
  recorded_by: string | null;
  supersedes_id: string | null;
  /** The data-subject request an objection came through (DPO-4), if any. */
  dsr_case_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CrmActivityTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  contact_id: string | null;
  kind: 'call' | 'email' | 'meeting' | 'note' | 'web_form';
  purpose: ContactPurpose | null;
  /** Null once the schedule removed the text of correspondence (DPO-6); the fact and the time stay. */
  summary: ColumnType<string | null, string, string | null>;
  occurred_at: Date;
  created_by: string | null;
  created_at: Date;
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface CrmTaskTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  contact_id: string | null;
  title: string;
  due_on: CalendarDate;
  owner_id: string;
  done_at: Date | null;
  done_by: string | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CorporateAgreementTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  starts_on: CalendarDate;
  ends_on: CalendarDate | null;
  services: string[];
  reference: string | null;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

export interface CorporateEmployeeTable {
  id: Generated<string>;
  organisation_id: string;
  company_id: string;
  agreement_id: string;
  full_name: string;
  phone: string | null;
  email: string | null;
  national_id_sealed: string;
  national_id_hmac: Buffer;
  national_id_masked: string;
  version: Generated<number>;
  created_at: Date;
  created_by: string | null;
  updated_at: Date;
}

export interface CrmTables {
  company: CompanyTable;
  company_status_change: CompanyStatusChangeTable;
  crm_contact: CrmContactTable;
  contact_legal_basis: ContactLegalBasisTable;
  crm_activity: CrmActivityTable;
  crm_task: CrmTaskTable;
  corporate_agreement: CorporateAgreementTable;
  corporate_employee: CorporateEmployeeTable;
}

// ---------------------------------------------------------------------------------------------
// The generic importer (src/server/import)
// ---------------------------------------------------------------------------------------------

export type ImportStatus = 'uploading' | 'validating' | 'ready' | 'committing' | 'done' | 'failed' | 'cancelled';
export type ImportRowOutcome = 'create' | 'update' | 'skip' | 'error';

export interface DataImportTable {
  id: Generated<string>;
  organisation_id: string;
  kind: string;
  target_id: string | null;
  created_by: string;
  created_at: Date;
  status: Generated<ImportStatus>;
  file_name: string;
  byte_size: Generated<number>;
  chunk_count: Generated<number>;
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'windows-1252' | 'mixed' | null;
  separator: ';' | ',' | '\t' | null;
  header: ColumnType<string[] | null, string | null, string | null>;
  mapping: ColumnType<Record<string, number | null> | null, string | null, string | null>;
  total_rows: number | null;
  error_rows: number | null;
  create_rows: number | null;
  update_rows: number | null;
  skip_rows: number | null;
  processed_rows: Generated<number>;
  committed_rows: Generated<number>;
  failure_code: string | null;
  finished_at: Date | null;
  version: Generated<number>;
}

export interface DataImportChunkTable {
  import_id: string;
  organisation_id: string;
  chunk_index: number;
  sealed: string;
}

export interface DataImportRowTable {
  import_id: string;
  organisation_id: string;
  row_number: number;
  outcome: ImportRowOutcome;
  errors: ColumnType<{ field: string; messageKey: string }[] | null, string | null, string | null>;
  display: ColumnType<Record<string, string>, string, string>;
  sealed: string;
  target_id: string | null;
  committed: Generated<boolean>;
}

export interface ImportTables {
  data_import: DataImportTable;
  data_import_chunk: DataImportChunkTable;
  data_import_row: DataImportRowTable;
}
