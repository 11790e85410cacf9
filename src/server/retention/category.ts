import type { PackageSection } from '../../shared/dpo-export-schemas';
import type { PackageField } from '../../shared/dpo-package-labels';
import type { Executor } from '../db/database';

/** What the DPO workspace shows of any category: its code, its description and what it keeps. */
export interface CategoryDescription {
  /** Stable code, written into the events: 'visit.booking'. */
  name: string;
  /** Translation key of the one-line description the DPO workspace shows. */
  descriptionKey: string;
  /** Translation keys of what stays after the category's anonymisation, and why. */
  keeps: readonly string[];
}

/**
 * One data category under retention (DPO-6): each module registers its own (bookings, CRM leads
 * and correspondence, portal employees, inactive accounts) and the engine schedules, batches, logs
 * and dry-runs them all alike. A category knows what is due and how to anonymise or delete it; the
 * engine knows nothing of its tables.
 */
export interface RetentionCategory extends CategoryDescription {
  /**
   * Up to `limit` due items, locked for this transaction (`FOR UPDATE SKIP LOCKED`: a row someone
   * is changing is left for the next run, never waited for). Held items are never due. With
   * `organisationId`, that organisation's only. `afterId` continues a keyset scan where a category
   * needs one (items that stay due after a batch); null at the start.
   */
  findDue(trx: Executor, options: DueScanOptions): Promise<DueItem[]>;
  /** Anonymises (or deletes) the given due items; returns how many it changed. */
  anonymise(trx: Executor, ids: readonly string[], now: Date): Promise<number>;
  /** What the next run would do: how many are due and the oldest due moment. */
  countDue(trx: Executor, options: { now: Date; organisationId?: string }): Promise<DueCount>;
  /**
   * A warning before the irreversible step, for data whose owner can still keep it (an inactive
   * account: its user logs in). The engine runs it before the anonymisation, batched and logged the
   * same way (`retention.warned`); what it warns becomes due for anonymisation only later.
   */
  warning?: RetentionWarningStage;
  /**
   * What is past its time but kept on a ground of the category's own (the last active admin of an
   * organisation, its data protection officer): counted for the dry run, never changed by the run.
   */
  countKept?(trx: Executor, options: { now: Date; organisationId?: string }): Promise<KeptCount[]>;
  /** Whether the organisation has this object (a legal hold on one object); absent: the category is never held object by object. */
  ownsObject?(trx: Executor, organisationId: string, id: string): Promise<boolean>;
}

export interface DueScanOptions {
  now: Date;
  limit: number;
  afterId: string | null;
  organisationId?: string;
}

export interface DueCount {
  count: number;
  oldestDueAt: Date | null;
}

export interface RetentionWarningStage {
  /** Up to `limit` items due for the warning, locked as `findDue` locks. */
  findDue(trx: Executor, options: DueScanOptions): Promise<DueItem[]>;
  /** Warns the given items (records the warning and tells the person); returns how many it warned. */
  warn(trx: Executor, ids: readonly string[], now: Date): Promise<number>;
  /** How many the next run would warn, and the oldest moment one became due for it. */
  countDue(trx: Executor, options: { now: Date; organisationId?: string }): Promise<DueCount>;
}

/** Items past their time kept on one ground: a translation key and how many. */
export interface KeptCount {
  reasonKey: string;
  count: number;
}

/**
 * One module's data about a person (DPO-5, DPO-6): what it holds of them, what erasure in a
 * data-subject request does with each item (erase, anonymise, or keep on a legal ground from the
 * register `retention_exception`), and the erasure itself. Every module registers one or more in
 * the registry (`categories.ts`); a category the schedule also runs is both (ScheduledPersonDataCategory).
 */
export interface PersonDataCategory extends CategoryDescription {
  /** How erasure treats an erasable item of this category. */
  erasureMethod: 'erased' | 'anonymised';
  /**
   * What the category holds of the person, in the organisation only, with what erasure would do
   * with each item. Reads only; never locks (the run locks what it changes).
   */
  findForPerson(trx: Executor, options: { organisationId: string; person: PersonIdentifiers; now: Date }): Promise<PersonItem[]>;
  /** Erases or anonymises the given items (of one organisation); returns how many it changed. */
  eraseForPerson(trx: Executor, ids: readonly string[], now: Date): Promise<number>;
  /** Whether the organisation has this object (a legal hold on one object); absent: the category is never held object by object. */
  ownsObject?(trx: Executor, organisationId: string, id: string): Promise<boolean>;
  /** The access package's section its items go in (DPO-5); several categories may share one. */
  packageSection: PackageSection;
  /**
   * Everything the category holds of the person, in full, for the access package (DPO-5): what
   * findForPerson finds, with the content the person has a right to see. Journal content only
   * through `journalAccess` (the access decision made for the case), never by the identifiers alone.
   * Reads only.
   */
  collectForPerson(trx: Executor, options: CollectOptions): Promise<PackageItem[]>;
}

/**
 * A category both the schedule and a data-subject request reach (bookings, lead contacts, portal
 * employees). The schedule-only ones (inactive accounts, correspondence) are the same rows a
 * request finds through another category (accounts, lead contacts), so a request does not list them twice.
 */
export type ScheduledPersonDataCategory = RetentionCategory & PersonDataCategory;

/** What the access package collects with: the person, and the journal the access decision opened (if any). */
export interface CollectOptions {
  organisationId: string;
  person: PersonIdentifiers;
  now: Date;
  /** The case's patient as the one access decision admitted the DPO (dsr_case basis), without the notes a block hides. */
  journalAccess: { patientId: string; hiddenNoteIds: readonly string[] } | null;
}

/** A value of an item in the package: text, numbers, yes/no, a list of codes, or nested records (a note's versions). */
export type PackageValue = string | number | boolean | null | readonly string[] | readonly Record<string, unknown>[];

/** One item of the package: its id and fields named in PACKAGE_FIELDS (so each has its words); instants as ISO strings. */
export type PackageItem = { id: string } & { [field in PackageField]?: PackageValue };

/** What a data-subject request tells of the person: any of them may be missing. */
export interface PersonIdentifiers {
  patientId?: string | null;
  /** The keyed hash of the national identity number (tables that store it sealed). */
  nationalIdHmac?: Buffer | null;
  /** The number itself, unsealed from the case (tables that hold it plain: patient, booking). */
  nationalId?: string | null;
  /** Lower case. */
  email?: string | null;
  phone?: string | null;
  name?: string | null;
}

/** One thing a category holds of a person. Ids are random uuids; labels are keys and dates, never the data. */
export interface PersonItem {
  id: string;
  /** Translation key of the short label ('Bestilling {{date}}'). */
  labelKey: string;
  /** ISO date or instant the label shows, if any. */
  labelDate: string | null;
  /** How many the item stands for (the audit log's events are one item); 1 otherwise. */
  count: number;
  action: 'erase' | 'anonymise' | 'keep';
  /** For `keep`: the register's code (`retention_exception.code`). */
  groundCode: string | null;
  /**
   * Kept until someone else decides: a customer's employee while the agreement runs is erased once
   * the customer confirms (the DPO records it: dpo/erasure/customer-confirmation.ts). The company is
   * named so the DPO knows whom to ask (a business, not the person).
   */
  awaits?: { kind: 'customer_confirmation'; companyId: string; companyName: string };
}

export interface DueItem {
  id: string;
  organisationId: string;
}
