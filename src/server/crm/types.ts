import type {
  ActivityKindShown,
  CompanySource,
  CompanyStatus,
  ContactPurpose,
  ContactSource,
  LegalBasis,
  LegalBasisSource,
  LegalBasisState,
} from '../../shared/crm-schemas';

/**
 * What the CRM answers (CRM-1…3): instants as ISO strings, calendar dates as yyyy-mm-dd. Nothing
 * here says whether a person is a patient (CRM-5).
 */

export interface CompanyListRow {
  id: string;
  name: string;
  organisationNumber: string | null;
  city: string | null;
  industry: string | null;
  status: CompanyStatus;
  statusChangedAt: string;
  ownerName: string | null;
  contactCount: number;
  openTaskCount: number;
}

export interface CompanyList {
  rows: CompanyListRow[];
  /** How many match, counted up to a cap (1,000 with a search, 10,000 without). */
  total: number;
  /** There may be more than `total`: the UI says "more than …, refine the search". */
  isTotalCapped: boolean;
}

export interface CompanyDetail {
  id: string;
  name: string;
  organisationNumber: string | null;
  street: string | null;
  postcode: string | null;
  city: string | null;
  industry: string | null;
  status: CompanyStatus;
  statusChangedAt: string;
  source: CompanySource;
  ownerId: string | null;
  ownerName: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The current record of one purpose: the newest; older ones are its history (superseded). */
export interface LegalBasisRecord {
  id: string;
  purpose: ContactPurpose;
  basis: LegalBasis;
  state: LegalBasisState;
  source: LegalBasisSource;
  evidence: string;
  reviewOn: string | null;
  /** Active, and its review date has come (Oslo): still valid, to be looked at again. */
  isReviewDue: boolean;
  recordedAt: string;
  recordedByName: string | null;
}

export interface ContactView {
  id: string;
  companyId: string;
  fullName: string;
  jobTitle: string | null;
  email: string | null;
  phone: string | null;
  source: ContactSource;
  version: number;
  /** The current record per purpose that has one. */
  bases: LegalBasisRecord[];
  /** Purposes whose current record is a withdrawal or an objection: no processing for them. */
  blockedPurposes: ContactPurpose[];
  /** No active basis for any purpose: the contact may not be processed at all. */
  isBlocked: boolean;
}

export interface ActivityView {
  id: string;
  kind: ActivityKindShown;
  purpose: ContactPurpose | null;
  /** Null when the retention schedule removed the text of correspondence after its year (DPO-6). */
  summary: string | null;
  occurredAt: string;
  contactId: string | null;
  contactName: string | null;
  createdByName: string | null;
}

export interface TaskView {
  id: string;
  companyId: string;
  companyName: string;
  contactId: string | null;
  contactName: string | null;
  title: string;
  dueOn: string;
  ownerId: string;
  ownerName: string | null;
  doneAt: string | null;
  version: number;
  /** Open and due before today (Oslo). */
  isOverdue: boolean;
}

export interface StatusHistoryEntry {
  from: CompanyStatus | null;
  to: CompanyStatus;
  changedAt: string;
  changedByName: string | null;
}

export interface CompanyPage {
  company: CompanyDetail;
  contacts: ContactView[];
  /** The latest 100. */
  activities: ActivityView[];
  /** Open ones, and those done in the last 30 days. */
  tasks: TaskView[];
  statusHistory: StatusHistoryEntry[];
}

export interface SalesUser {
  id: string;
  displayName: string;
}

export interface PipelineMonth {
  /** YYYY-MM, Oslo time. */
  month: string;
  toLead: number;
  toProspect: number;
  toCustomer: number;
  toFormer: number;
}

export interface Pipeline {
  counts: Record<CompanyStatus, number>;
  moves: PipelineMonth[];
}

export interface ContactListRow {
  id: string;
  fullName: string;
  jobTitle: string | null;
  email: string | null;
  phone: string | null;
  companyId: string;
  companyName: string;
  basis: LegalBasis;
  reviewOn: string | null;
}

export interface ContactExport {
  fileName: string;
  csv: string;
}
