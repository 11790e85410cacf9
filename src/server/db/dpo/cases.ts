import type { ColumnType, Generated } from 'kysely';

/** Data-subject requests (DPO-4): migrations/2026-12-08T09-00_dpo_cases.ts. */
export type DsrKind = 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection' | 'portability';
export type DsrChannel = 'letter' | 'email' | 'phone' | 'in_person' | 'web_form' | 'other';
export type DsrStatus = 'received' | 'identity_unverified' | 'in_review' | 'in_progress' | 'on_hold' | 'ready_for_release' | 'completed' | 'denied';
export type DsrIdentityMethod = 'bankid' | 'id_document' | 'known_contact' | 'signed_letter' | 'other';

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
  hold_reason: string | null;
  denial_reason: string | null;
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

export interface DpoCaseTables {
  dsr_case: DsrCaseTable;
  dsr_case_step: DsrCaseStepTable;
}
