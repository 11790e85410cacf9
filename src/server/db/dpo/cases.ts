import type { ColumnType, Generated } from 'kysely';

/** Data-subject requests (DPO-4): migrations/2026-12-08T09-00_dpo_cases.ts. */
import type { DsrChannel, DsrCorrectionStatus, DsrDenialReason, DsrHoldReason, DsrIdentityMethod, DsrKind, DsrStatus, RestrictionModule } from '../../../shared/dsr-schemas';

export type { DsrChannel, DsrIdentityMethod, DsrKind, DsrStatus };

/** A date column (Oslo calendar day): read as YYYY-MM-DD text (the parsers in db/database.ts). */
type DateOnly = ColumnType<string, string, string>;

export interface DsrCaseTable {
  id: Generated<string>;
  organisation_id: string;
  reference: string;
  kind: DsrKind;
  received_on: DateOnly;
  channel: DsrChannel;
  requester_name: string;
  national_id_sealed: string | null;
  national_id_hmac: Buffer | null;
  national_id_masked: string | null;
  email: string | null;
  phone: string | null;
  patient_id: string | null;
  identity_method: DsrIdentityMethod | null;
  identity_verified_by: string | null;
  identity_verified_at: Date | null;
  status: Generated<DsrStatus>;
  hold_reason: DsrHoldReason | null;
  denial_reason: DsrDenialReason | null;
  deadline: DateOnly;
  extended_deadline: ColumnType<string | null, string | null, string | null>;
  extension_reason: string | null;
  extension_notified_on: ColumnType<string | null, string | null, string | null>;
  note: string | null;
  response: string | null;
  completed_at: Date | null;
  handled_by: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
}

export interface DsrCaseStepTable {
  id: Generated<string>;
  case_id: string;
  organisation_id: string;
  status: string;
  reason: string | null;
  changed_by: string;
  changed_at: Date;
}

export interface DsrCaseCounterTable {
  organisation_id: string;
  year: number;
  last_number: number;
}

export interface ProcessingRestrictionTable {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  patient_id: string | null;
  national_id_hmac: Buffer | null;
  email: string | null;
  phone: string | null;
  modules: RestrictionModule[];
  set_at: Date;
  set_by: string;
  lifted_at: Date | null;
  lifted_by: string | null;
}

/** JRN-4 through a request (DPO-4): the DPO asks a clinician to correct the journal. */
export interface DsrCorrectionRequestTable {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  patient_id: string;
  assigned_to: string;
  requested_change: string;
  requested_by: string;
  requested_at: Date;
  status: Generated<DsrCorrectionStatus>;
  answered_by: string | null;
  answered_at: Date | null;
  answer_note_id: string | null;
}

export interface DpoCaseTables {
  dsr_case: DsrCaseTable;
  dsr_case_step: DsrCaseStepTable;
  dsr_case_counter: DsrCaseCounterTable;
  processing_restriction: ProcessingRestrictionTable;
  dsr_correction_request: DsrCorrectionRequestTable;
}
