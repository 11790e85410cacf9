import type { Generated } from 'kysely';
import type { PackageSection } from '../../../shared/dpo-export-schemas';

/** Exports and access packages (AUD-5, DPO-5): migrations/2026-12-08T14-00_dpo_exports.ts */
export type DsrPackageStatus = 'draft' | 'released';
/** A section's code (shared/dpo-export-schemas.ts PACKAGE_SECTIONS); migrations/2026-12-09T13-00_package_sections.ts checks its form only. */
export type DsrPackageSection = PackageSection;
export type RedactionReasonCode = 'gdpr_15_4_third_party' | 'pasjl_18_third_party' | 'hpl_41_harm' | 'pasrl_5_1_harm' | 'other_legal_ground';

export interface DsrPackageTable {
  id: Generated<string>;
  organisation_id: string;
  case_id: string;
  content_sealed: string;
  item_count: number;
  status: Generated<DsrPackageStatus>;
  prepared_at: Date;
  prepared_by: string;
  released_at: Date | null;
  released_by: string | null;
  version: Generated<number>;
}

export interface DsrPackageRedactionTable {
  id: Generated<string>;
  organisation_id: string;
  package_id: string;
  section: DsrPackageSection;
  item_id: string;
  reason_code: RedactionReasonCode;
  redacted_by: string;
  redacted_at: Date;
}

export interface DpoExportTables {
  dsr_package: DsrPackageTable;
  dsr_package_redaction: DsrPackageRedactionTable;
}
