import type { Executor } from '../db/database';

export function countOrganisations(db: Executor, filter: { isDemo: boolean }) {
  return db
    .selectFrom('organisation')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('is_demo', '=', filter.isDemo)
    .executeTakeFirstOrThrow()
    .then((row) => Number(row.count));
}

export function findDemoOrganisation(db: Executor) {
  return db.selectFrom('organisation').select(['id', 'name']).where('is_demo', '=', true).executeTakeFirst();
}

export function insertOrganisation(
  db: Executor,
  values: { name: string; organisationNumber: string | null; isDemo: boolean },
) {
  return db
    .insertInto('organisation')
    .values({ name: values.name, organisation_number: values.organisationNumber, is_demo: values.isDemo })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
}
