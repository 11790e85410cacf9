import type { ColumnType, Generated } from 'kysely';

/** Erasure, legal holds, the register of what is kept (DPO-5, DPO-6): migrations/2026-12-08T13-00_dpo_erasure.ts */
export type RetentionLegalGround = 'legal_obligation' | 'contract' | 'legal_claims' | 'legal_hold';
export type LegalHoldScope = 'person' | 'category' | 'object';
export type LegalHoldReason = 'complaint' | 'incident' | 'litigation' | 'supervisory_authority' | 'police' | 'other';

export interface RetentionExceptionTable {
  code: string;
  category: string;
  legal_ground: RetentionLegalGround;
  law_reference: string;
  period: string | null;
  description_key: string;
  sort_order: number;
}

export interface LegalHoldTable {
  id: Generated<string>;
  organisation_id: string;
  scope: LegalHoldScope;
  patient_id: string | null;
  national_id_hmac: Buffer | null;
  email: string | null;
  phone: string | null;
  category: string | null;
  object_id: string | null;
  reason: LegalHoldReason;
  case_id: string | null;
  set_by: string;
  set_at: Date;
  lifted_by: string | null;
  lifted_at: Date | null;
}

export interface ErasurePlanTable {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  plan_hash: string;
  planned_by: string;
  planned_at: Date;
}

export interface ErasedCategory {
  category: string;
  method: 'erased' | 'anonymised';
  count: number;
  idsSha256: string;
}

export interface KeptCategory {
  category: string;
  count: number;
  groundCode: string;
}

export interface ErasureReportTable {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  plan_hash: string;
  erased: ColumnType<ErasedCategory[], string, string>;
  kept: ColumnType<KeptCategory[], string, string>;
  waiting_cut_short: boolean;
  cut_short_reason: string | null;
  executed_by: string;
  executed_at: Date;
}

/** The customer's confirmation that erased its employee while the agreement ran (DPO-5): migrations/2026-12-09T12-00_customer_erasure_confirmation.ts */
export type CustomerConfirmationChannel = 'email' | 'letter' | 'phone' | 'meeting' | 'customer_portal' | 'other';

export interface CustomerErasureConfirmationTable {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  category: 'portal.employee';
  object_id: string;
  company_id: string;
  confirmed_by_name: string;
  confirmed_by_role: string | null;
  confirmed_on: ColumnType<string, string, string>;
  channel: CustomerConfirmationChannel;
  note: string | null;
  recorded_by: string;
  recorded_at: Date;
}

export interface DpoErasureTables {
  retention_exception: RetentionExceptionTable;
  legal_hold: LegalHoldTable;
  erasure_plan: ErasurePlanTable;
  erasure_report: ErasureReportTable;
  customer_erasure_confirmation: CustomerErasureConfirmationTable;
}
