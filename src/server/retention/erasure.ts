import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../db/database';
import type { PersonDataCategory, PersonIdentifiers, PersonItem } from './category';
import { activeHoldsFor, applyHolds } from './holds';

/**
 * Erasure of a person's data through the retention registry (DPO-5, DPO-6): the search, the dry
 * run and the run are one code path. `erasePerson` finds the person's items in every category,
 * applies the legal holds, and erases what may go; with `commit: false` it does all of that inside
 * a savepoint and rolls the savepoint back, so the dry run's counts are the counts the real
 * erasure made (not an estimate), and nothing stays changed. The real run refuses a plan that is
 * not the one the DPO saw (its hash).
 */

export interface PlannedCategory {
  name: string;
  descriptionKey: string;
  keeps: readonly string[];
  method: 'erased' | 'anonymised';
  items: PersonItem[];
}

export interface ErasedResult {
  name: string;
  method: 'erased' | 'anonymised';
  /** The ids erasure changed (given to the category, in plan order). */
  ids: string[];
  changed: number;
}

export interface ErasureOutcome {
  plan: PlannedCategory[];
  planHash: string;
  results: ErasedResult[];
  isCommitted: boolean;
}

/** The person's items in every category, with the holds in force applied. Throws if the holds cannot be read: nothing is then erased. */
export async function findPersonData(
  trx: Executor,
  categories: readonly PersonDataCategory[],
  options: { organisationId: string; person: PersonIdentifiers; now: Date },
): Promise<PlannedCategory[]> {
  const holds = await activeHoldsFor(trx, options.organisationId, options.person);
  const plan: PlannedCategory[] = [];
  for (const category of categories) {
    const items = await category.findForPerson(trx, options);
    plan.push({ name: category.name, descriptionKey: category.descriptionKey, keeps: category.keeps, method: category.erasureMethod, items: applyHolds(category.name, items, holds) });
  }
  return plan;
}

/** What the plan would do, as one hash: the case, and per category each item's id, action and ground (sorted). */
export function hashPlan(caseId: string, plan: readonly PlannedCategory[]): string {
  const canonical = plan.map((category) => [category.name, category.items.map((item) => `${item.id}:${item.action}:${item.groundCode ?? ''}`).sort()]);
  return createHash('sha256').update(JSON.stringify([caseId, canonical])).digest('hex');
}

/** SHA-256 of the sorted ids, one per line: proves which rows went without keeping them readable next to the person. */
export function hashIds(ids: readonly string[]): string {
  return createHash('sha256').update([...ids].sort().join('\n')).digest('hex');
}

export const isErasable = (item: PersonItem): boolean => item.action !== 'keep';

export class PlanChangedError extends Error {
  constructor() {
    super('The erasure plan changed since it was shown');
    this.name = 'PlanChangedError';
  }
}

const SAVEPOINT = sql.raw('dpo_erasure_run');

/**
 * Finds, plans and erases (DPO-5). `commit: false` is the dry run: the same erasure, rolled back
 * to a savepoint. With `expectedPlanHash`, a plan that differs is refused before anything changes.
 */
export async function erasePerson(
  trx: Executor,
  categories: readonly PersonDataCategory[],
  options: { caseId: string; organisationId: string; person: PersonIdentifiers; now: Date; commit: boolean; expectedPlanHash?: string },
): Promise<ErasureOutcome> {
  const plan = await findPersonData(trx, categories, options);
  const planHash = hashPlan(options.caseId, plan);
  if (options.expectedPlanHash !== undefined && options.expectedPlanHash !== planHash) throw new PlanChangedError();
  const byName = new Map(categories.map((category) => [category.name, category]));
  await sql`savepoint ${SAVEPOINT}`.execute(trx);
  const results: ErasedResult[] = [];
  try {
    for (const planned of plan) {
      const ids = planned.items.filter(isErasable).map((item) => item.id);
      if (ids.length === 0) continue;
      const category = byName.get(planned.name);
      if (!category) throw new Error(`unknown category ${planned.name}`);
      results.push({ name: planned.name, method: planned.method, ids, changed: await category.eraseForPerson(trx, ids, options.now) });
    }
  } catch (error) {
    await sql`rollback to savepoint ${SAVEPOINT}`.execute(trx);
    throw error;
  }
  if (options.commit) await sql`release savepoint ${SAVEPOINT}`.execute(trx);
  else await sql`rollback to savepoint ${SAVEPOINT}`.execute(trx);
  return { plan, planHash, results, isCommitted: options.commit };
}
