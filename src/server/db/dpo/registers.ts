import type { ColumnType, Generated } from 'kysely';

/** Access report support and the registers (DPO-3, DPO-7): migrations/2026-12-08T12-00_dpo_registers.ts */

/** A date column (Oslo calendar day): read as YYYY-MM-DD text (the parsers in db/database.ts). */
type DateOnly = ColumnType<string | null, string | null, string | null>;

export type TransferBasis = 'adequacy_decision' | 'standard_contractual_clauses' | 'binding_corporate_rules' | 'derogation';

export interface DataProcessorTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  service: string;
  country: string;
  transfer_basis: TransferBasis | null;
  agreement_date: DateOnly;
  contact: string | null;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export interface ProcessingActivityTable {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  purpose: string;
  legal_bases: string[];
  legal_basis_law: string | null;
  data_categories: string;
  data_subjects: string;
  retention: string;
  recipients: string | null;
  security_measures: string | null;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
  updated_by: string | null;
}

export interface ProcessingActivityProcessorTable {
  organisation_id: string;
  activity_id: string;
  processor_id: string;
}

export interface DpoRegisterTables {
  data_processor: DataProcessorTable;
  processing_activity: ProcessingActivityTable;
  processing_activity_processor: ProcessingActivityProcessorTable;
}
