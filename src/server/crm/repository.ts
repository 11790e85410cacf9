import { type Selectable, sql } from 'kysely';
import type { CompanyStatus, ContactPurpose } from '../../shared/crm-schemas';
import type { Executor } from '../db/database';
import type { CompanyTable, ContactLegalBasisTable, CrmContactTable, CrmTaskTable } from '../db/schema';

export type CompanyRow = Selectable<CompanyTable>;
export type ContactRow = Selectable<CrmContactTable>;
export type BasisRow = Selectable<ContactLegalBasisTable>;
export type TaskRow = Selectable<CrmTaskTable>;

/** The roles that work the CRM (CRM-5): owners of companies and tasks are among them. */
export const CRM_ROLES = ['sales', 'admin'] as const;

// ---------------------------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------------------------

/** At most this many words of a search count: more only slow the query without narrowing it usefully. */
const MAX_SEARCH_WORDS = 8;

/**
 * A word-prefix tsquery ('ola:* & nord:*') from what the user typed, or null when nothing
 * searchable is left. Words keep only letters, digits and the joiners of e-mail addresses and
 * hyphenated names (@ . - _), never at a word's ends; everything else separates words. So no
 * tsquery operator (& | ! ( ) : * < >), quote or backslash from the input reaches to_tsquery: the
 * result holds only such words, ':*' and ' & '. to_tsquery then parses each word as the 'simple'
 * parser parsed the stored text: a whole e-mail address is one word, "Hansen-Berg" matches
 * hansen-berg. An organisation number typed in groups ("923 609 016") is one word.
 */
export function prefixTsQuery(search: string): string | null {
  const trimmed = search.trim();
  const digitsOnly = trimmed.replace(/\s+/g, '');
  const words = /^\d+$/.test(digitsOnly)
    ? [digitsOnly]
    : trimmed
        .toLowerCase()
        .split(/[^\p{L}\p{N}@._-]+/u)
        .map((word) => word.replace(/^[@._-]+|[@._-]+$/gu, ''))
        .filter((word) => word.length > 0);
  const unique = [...new Set(words)].slice(0, MAX_SEARCH_WORDS);
  if (unique.length === 0) return null;
  return unique.map((word) => `${word}:*`).join(' & ');
}

export interface CompanySearch {
  organisationId: string;
  tsQuery: string | null;
  statuses: readonly CompanyStatus[] | undefined;
  ownerId: string | undefined;
  limit: number;
  offset: number;
}

export interface CompanySearchRow {
  id: string;
  name: string;
  organisation_number: string | null;
  city: string | null;
  industry: string | null;
  status: CompanyStatus;
  status_changed_at: Date;
  owner_name: string | null;
  contact_count: number;
  open_task_count: number;
}

/**
 * A search takes at most this many matches (companies, and contacts pointing to companies) before
 * sorting them by name: a one-letter search over 100,000 companies would otherwise sort them all
 * for one page. More than this is "too many: refine the search" (the answer says it is capped).
 */
export const SEARCH_MATCH_CAP = 1_000;
/** The list without a search counts at most this many (an index-only count, a few milliseconds). */
export const LIST_COUNT_CAP = 10_000;

export interface CompanySearchResult {
  rows: CompanySearchRow[];
  total: number;
  isTotalCapped: boolean;
}

/**
 * CRM-1: one page of the organisation's companies by name, matching the search over the company
 * (name, number, city) or any of its contacts (name, e-mail), with the status and owner filters.
 * One statement. With a search: the first SEARCH_MATCH_CAP matches from the two GIN indexes,
 * deduplicated, sorted by name, one page. The matches are a MATERIALIZED CTE read through a
 * limit: planned whole (bitmap scans of the GIN indexes; a LIMIT inside made the planner pick a
 * sequential scan "to find the first rows soon", 100+ ms for a word nobody has), executed only as
 * far as the limit pulls. The filters sit inside each branch, so a filter never empties a capped set. Without: a walk of the
 * (organisation, lower(name)) index in its own order (`USING ~<~`, the order of its
 * text_pattern_ops), stopping after the page, and a count capped at LIST_COUNT_CAP. Names sort
 * byte-wise (Å before Æ and Ø, all after Z): the price of using the index.
 */
export async function searchCompanies(db: Executor, search: CompanySearch): Promise<CompanySearchResult> {
  const org = search.organisationId;
  const hasFilters = (search.statuses?.length ?? 0) > 0 || search.ownerId !== undefined;
  const filters = sql`${search.statuses && search.statuses.length > 0 ? sql`and c.status = any(${[...search.statuses]}::text[])` : sql``} ${
    search.ownerId ? sql`and c.owner_id = ${search.ownerId}` : sql``
  }`;
  const pageColumns = sql`c.id, c.name, c.organisation_number, c.city, c.industry, c.status, c.status_changed_at, c.owner_id`;
  const withCounts = (from: ReturnType<typeof sql>) => sql`
    select page.id, page.name, page.organisation_number, page.city, page.industry, page.status, page.status_changed_at,
           u.display_name as owner_name,
           (select count(*) from crm_contact k where k.company_id = page.id)::int as contact_count,
           (select count(*) from crm_task t where t.company_id = page.id and t.done_at is null)::int as open_task_count,
           (select count(*) from counted)::int as total
      from ${from} page
      left join app_user u on u.id = page.owner_id
     order by lower(page.name) using ~<~, page.id`;

  if (search.tsQuery !== null) {
    const query = sql`to_tsquery('simple', ${search.tsQuery})`;
    const { rows } = await sql<CompanySearchRow & { total: number }>`
      with hits as materialized (
        select c.id from company c where c.organisation_id = ${org} and c.search_vector @@ ${query} ${filters}
        union all
        select k.company_id from crm_contact k ${hasFilters ? sql`join company c on c.id = k.company_id` : sql``}
         where k.organisation_id = ${org} and k.search_vector @@ ${query} ${filters}),
      counted as (select distinct id from (select id from hits limit ${SEARCH_MATCH_CAP}) capped),
      page as (
        select ${pageColumns} from company c join counted m on m.id = c.id
         order by lower(c.name) using ~<~, c.id
         limit ${search.limit} offset ${search.offset})
      ${withCounts(sql`page`)}`.execute(db);
    const hits = rows[0]?.total ?? (search.offset > 0 ? await countHits(db, org, query, filters, hasFilters) : 0);
    return { rows, total: hits, isTotalCapped: hits >= SEARCH_MATCH_CAP };
  }

  const { rows } = await sql<CompanySearchRow & { total: number }>`
    with counted as (select 1 from company c where c.organisation_id = ${org} ${filters} limit ${LIST_COUNT_CAP}),
    page as (
      select ${pageColumns} from company c where c.organisation_id = ${org} ${filters}
       order by lower(c.name) using ~<~, c.id
       limit ${search.limit} offset ${search.offset})
    ${withCounts(sql`page`)}`.execute(db);
  const total = rows[0]?.total ?? (search.offset > 0 ? await countList(db, org, filters) : 0);
  return { rows, total, isTotalCapped: total >= LIST_COUNT_CAP };
}

/** The capped number of matches, for a page past the end (where no row carries it). */
async function countHits(db: Executor, org: string, query: ReturnType<typeof sql>, filters: ReturnType<typeof sql>, hasFilters: boolean): Promise<number> {
  const { rows } = await sql<{ total: number }>`
    with hits as materialized (
      select c.id from company c where c.organisation_id = ${org} and c.search_vector @@ ${query} ${filters}
      union all
      select k.company_id from crm_contact k ${hasFilters ? sql`join company c on c.id = k.company_id` : sql``}
       where k.organisation_id = ${org} and k.search_vector @@ ${query} ${filters})
    select count(distinct id)::int as total from (select id from hits limit ${SEARCH_MATCH_CAP}) capped`.execute(db);
  return rows[0]?.total ?? 0;
}

async function countList(db: Executor, org: string, filters: ReturnType<typeof sql>): Promise<number> {
  const { rows } = await sql<{ total: number }>`
    select count(*)::int as total from (select 1 from company c where c.organisation_id = ${org} ${filters} limit ${LIST_COUNT_CAP}) listed`.execute(db);
  return rows[0]?.total ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Rows by id, within the organisation
// ---------------------------------------------------------------------------------------------

export function companyById(db: Executor, organisationId: string, companyId: string, options: { lock?: boolean } = {}): Promise<CompanyRow | undefined> {
  return db
    .selectFrom('company')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', companyId)
    .$if(options.lock === true, (query) => query.forUpdate())
    .executeTakeFirst();
}

export function contactById(db: Executor, organisationId: string, contactId: string, options: { lock?: boolean } = {}): Promise<ContactRow | undefined> {
  return db
    .selectFrom('crm_contact')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', contactId)
    .$if(options.lock === true, (query) => query.forUpdate())
    .executeTakeFirst();
}

export function taskById(db: Executor, organisationId: string, taskId: string, options: { lock?: boolean } = {}): Promise<TaskRow | undefined> {
  return db
    .selectFrom('crm_task')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', taskId)
    .$if(options.lock === true, (query) => query.forUpdate())
    .executeTakeFirst();
}

/** Display names of the organisation's users, by id. */
export async function userNames(db: Executor, organisationId: string, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('app_user').select(['id', 'display_name']).where('organisation_id', '=', organisationId).where('id', 'in', wanted).execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}

/** Active users of the organisation who hold sales or admin: who may own a company or a task. */
export async function salesUsersOf(db: Executor, organisationId: string): Promise<{ id: string; display_name: string }[]> {
  return db
    .selectFrom('app_user')
    .select(['app_user.id', 'app_user.display_name'])
    .where('app_user.organisation_id', '=', organisationId)
    .where('app_user.status', '=', 'active')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_grant')
          .select('role_grant.id')
          .whereRef('role_grant.user_id', '=', 'app_user.id')
          .where('role_grant.organisation_id', '=', organisationId)
          .where('role_grant.role', 'in', [...CRM_ROLES])
          .where('role_grant.revoked_at', 'is', null),
      ),
    )
    .orderBy('app_user.display_name')
    .orderBy('app_user.id')
    .execute();
}

export async function isSalesUser(db: Executor, organisationId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('app_user')
    .innerJoin('role_grant', 'role_grant.user_id', 'app_user.id')
    .select('app_user.id')
    .where('app_user.organisation_id', '=', organisationId)
    .where('app_user.id', '=', userId)
    .where('app_user.status', '=', 'active')
    .where('role_grant.organisation_id', '=', organisationId)
    .where('role_grant.role', 'in', [...CRM_ROLES])
    .where('role_grant.revoked_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

// ---------------------------------------------------------------------------------------------
// Legal bases (CRM-2)
// ---------------------------------------------------------------------------------------------

/**
 * The current record per purpose of each contact: the newest. A record superseding another is
 * always recorded after it (the service makes sure even with a clock that has not moved), so
 * "newest" is "not superseded", read straight from the index (contact, purpose, recorded_at desc).
 */
export async function currentBases(db: Executor, organisationId: string, contactIds: readonly string[]): Promise<BasisRow[]> {
  if (contactIds.length === 0) return [];
  const { rows } = await sql<BasisRow>`
    select distinct on (contact_id, purpose) *
      from contact_legal_basis
     where organisation_id = ${organisationId} and contact_id = any(${[...contactIds]}::uuid[])
     order by contact_id, purpose, recorded_at desc, id`.execute(db);
  return rows;
}

export interface ContactWithActiveBasis {
  id: string;
  full_name: string;
  job_title: string | null;
  email: string | null;
  phone: string | null;
  company_id: string;
  company_name: string;
  basis: ContactLegalBasisTable['basis'];
  review_on: string | null;
}

/**
 * The contacts whose current record for the purpose is active, by company and name. A contact
 * who withdrew or objected has a newer, non-active record, so is never here (CRM-2).
 */
export async function contactsWithActiveBasis(db: Executor, organisationId: string, purpose: ContactPurpose, limit: number): Promise<ContactWithActiveBasis[]> {
  const { rows } = await sql<ContactWithActiveBasis>`
    select k.id, k.full_name, k.job_title, k.email, k.phone, k.company_id, c.name as company_name, b.basis, b.review_on
      from (select distinct on (contact_id) contact_id, basis, state, review_on
              from contact_legal_basis
             where organisation_id = ${organisationId} and purpose = ${purpose}
             order by contact_id, recorded_at desc, id) b
      join crm_contact k on k.id = b.contact_id and k.organisation_id = ${organisationId}
      join company c on c.id = k.company_id and c.organisation_id = ${organisationId}
     where b.state = 'active'
     order by lower(c.name), c.id, lower(k.full_name), k.id
     limit ${limit}`.execute(db);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The company page
// ---------------------------------------------------------------------------------------------

export const COMPANY_PAGE_ACTIVITIES = 100;

export function contactsOfCompany(db: Executor, organisationId: string, companyId: string): Promise<ContactRow[]> {
  return db
    .selectFrom('crm_contact')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('company_id', '=', companyId)
    .orderBy(sql`lower(full_name)`)
    .orderBy('id')
    .execute();
}

export function activitiesOfCompany(db: Executor, organisationId: string, companyId: string) {
  return db
    .selectFrom('crm_activity')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('company_id', '=', companyId)
    .orderBy('occurred_at', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(COMPANY_PAGE_ACTIVITIES)
    .execute();
}

/** Open tasks, and those done since `doneSince`. */
export function tasksOfCompany(db: Executor, organisationId: string, companyId: string, doneSince: Date): Promise<TaskRow[]> {
  return db
    .selectFrom('crm_task')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('company_id', '=', companyId)
    .where((eb) => eb.or([eb('done_at', 'is', null), eb('done_at', '>=', doneSince)]))
    .orderBy('due_on')
    .orderBy('id')
    .execute();
}

export function statusHistoryOf(db: Executor, organisationId: string, companyId: string) {
  return db
    .selectFrom('company_status_change')
    .select(['from_status', 'to_status', 'changed_by', 'changed_at'])
    .where('organisation_id', '=', organisationId)
    .where('company_id', '=', companyId)
    .orderBy('changed_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Tasks and the pipeline
// ---------------------------------------------------------------------------------------------

export interface OwnTaskRow extends TaskRow {
  company_name: string;
  contact_name: string | null;
}

/** At most this many of one's tasks in a list: more is no longer a to-do list. */
export const MY_TASKS_LIMIT = 500;

/**
 * The user's tasks: open ones, overdue first (due before `today`), then by due date; with
 * `doneSince`, also those done since then, after the open ones.
 */
export async function tasksOfOwner(db: Executor, organisationId: string, ownerId: string, today: string, doneSince: Date | null): Promise<OwnTaskRow[]> {
  const { rows } = await sql<OwnTaskRow>`
    select t.*, c.name as company_name, k.full_name as contact_name
      from crm_task t
      join company c on c.id = t.company_id
      left join crm_contact k on k.id = t.contact_id
     where t.organisation_id = ${organisationId} and t.owner_id = ${ownerId}
       and (t.done_at is null ${doneSince === null ? sql`` : sql`or t.done_at >= ${doneSince}`})
     order by (t.done_at is not null), (t.done_at is null and t.due_on < ${today}::date) desc, t.due_on, t.done_at desc, t.id
     limit ${MY_TASKS_LIMIT}`.execute(db);
  return rows;
}

export async function statusCounts(db: Executor, organisationId: string): Promise<Map<CompanyStatus, number>> {
  const rows = await db
    .selectFrom('company')
    .select(['status', (eb) => eb.fn.countAll<string>().as('count')])
    .where('organisation_id', '=', organisationId)
    .groupBy('status')
    .execute();
  return new Map(rows.map((row) => [row.status, Number(row.count)]));
}

/** Status changes since `from`, counted per Oslo month ('YYYY-MM') and the status moved to. */
export async function movesPerMonth(db: Executor, organisationId: string, from: Date): Promise<{ month: string; to_status: CompanyStatus; count: number }[]> {
  const { rows } = await sql<{ month: string; to_status: CompanyStatus; count: number }>`
    select to_char(changed_at at time zone 'Europe/Oslo', 'YYYY-MM') as month, to_status, count(*)::int as count
      from company_status_change
     where organisation_id = ${organisationId} and changed_at >= ${from}
     group by 1, 2`.execute(db);
  return rows;
}
