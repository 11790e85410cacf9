import type { AgreementService, EmployeeImportFieldKey, PortalImportStatusCode } from '../../shared/portal-schemas';

/** What the portal's procedures answer (CRM-4); the renderer reads them through RouterOutputs['portal']. */

export interface AgreementView {
  id: string;
  /** yyyy-mm-dd */
  startsOn: string;
  endsOn: string | null;
  services: AgreementService[];
  reference: string | null;
  version: number;
  /** Started and not yet ended (Oslo's today). */
  isActive: boolean;
}

export interface EmployeeListRow {
  id: string;
  fullName: string;
  phone: string | null;
  email: string | null;
  /** Birth-date part and five stars: 010190*****. */
  nationalIdMasked: string;
  version: number;
}

export interface EmployeePage {
  rows: EmployeeListRow[];
  total: number;
}

export interface EmployeeSaved {
  employee: EmployeeListRow;
}

export interface RevealedNationalId {
  nationalId: string;
}

export interface ImportFieldView {
  key: EmployeeImportFieldKey;
  required: boolean;
}

export interface ImportInspection {
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'windows-1252' | 'mixed';
  separator: ';' | ',' | '\t';
  header: string[];
  /** Column index (0-based) per field, null when no header matched. */
  suggestedMapping: Record<EmployeeImportFieldKey, number | null>;
  /** The first rows as the preview shows them (numbers masked), by field key. */
  sampleRows: Record<string, string>[];
  fields: ImportFieldView[];
}

export interface PortalImportStatus {
  importId: string;
  companyId: string;
  status: PortalImportStatusCode;
  fileName: string;
  byteSize: number;
  /** Chunks received so far (an upload resumes at this index). */
  receivedChunks: number;
  encoding: ImportInspection['encoding'] | null;
  separator: ImportInspection['separator'] | null;
  header: string[] | null;
  mapping: Record<string, number | null> | null;
  /** Known once validation has finished; null before. */
  totalRows: number | null;
  /** Rows validated (while validating) — the progress bar's numerator. */
  processedRows: number;
  /** Rows written (while committing). */
  committedRows: number;
  /** 0…1 for the progress bar while a job works (validating: share of the file read; committing: rows written); null otherwise. */
  progress: number | null;
  errorRows: number | null;
  createRows: number | null;
  updateRows: number | null;
  skipRows: number | null;
  /** A code (never data) when the import failed, e.g. 'import.unreadable'. */
  failureCode: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ImportPreviewRow {
  rowNumber: number;
  outcome: 'create' | 'update' | 'skip' | 'error';
  errors: { field: string; messageKey: string }[];
  /** By field key; the number masked. */
  display: Record<string, string>;
}

export interface ImportPreviewPage {
  rows: ImportPreviewRow[];
  total: number;
}

export interface ProblemRowsFile {
  fileName: string;
  /** UTF-8 with BOM, `;`-separated (Excel in Norway): the original columns and an error column. */
  csv: string;
}
