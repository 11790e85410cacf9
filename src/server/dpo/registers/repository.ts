import type { Executor } from '../../db/database';

export async function activitiesOf(trx: Executor, organisationId: string) {
  return trx
    .selectFrom('processing_activity as a')
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'a.updated_by').onRef('u.organisation_id', '=', 'a.organisation_id'))
    .selectAll('a')
    .select('u.display_name as updated_by_name')
    .where('a.organisation_id', '=', organisationId)
    .orderBy((eb) => eb.fn('lower', ['a.name']))
    .orderBy('a.id')
    .execute();
}

export async function processorsOf(trx: Executor, organisationId: string) {
  return trx
    .selectFrom('data_processor as p')
    .leftJoin('app_user as u', (join) => join.onRef('u.id', '=', 'p.updated_by').onRef('u.organisation_id', '=', 'p.organisation_id'))
    .selectAll('p')
    .select('u.display_name as updated_by_name')
    .where('p.organisation_id', '=', organisationId)
    .orderBy((eb) => eb.fn('lower', ['p.name']))
    .orderBy('p.id')
    .execute();
}

export async function processorLinksOf(trx: Executor, organisationId: string) {
  return trx.selectFrom('processing_activity_processor').select(['activity_id', 'processor_id']).where('organisation_id', '=', organisationId).execute();
}

export async function activityById(trx: Executor, organisationId: string, id: string) {
  return trx.selectFrom('processing_activity').select(['id', 'version']).where('organisation_id', '=', organisationId).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function processorById(trx: Executor, organisationId: string, id: string) {
  return trx.selectFrom('data_processor').select(['id', 'version']).where('organisation_id', '=', organisationId).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** How many of the ids are processors of the organisation. */
export async function countProcessors(trx: Executor, organisationId: string, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const row = await trx
    .selectFrom('data_processor')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', ids)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function setActivityProcessors(trx: Executor, organisationId: string, activityId: string, processorIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('processing_activity_processor').where('organisation_id', '=', organisationId).where('activity_id', '=', activityId).execute();
  if (processorIds.length > 0) {
    await trx
      .insertInto('processing_activity_processor')
      .values(processorIds.map((processorId) => ({ organisation_id: organisationId, activity_id: activityId, processor_id: processorId })))
      .execute();
  }
}

export async function isProcessorInUse(trx: Executor, organisationId: string, processorId: string): Promise<boolean> {
  const row = await trx.selectFrom('processing_activity_processor').select('activity_id').where('organisation_id', '=', organisationId).where('processor_id', '=', processorId).limit(1).executeTakeFirst();
  return row !== undefined;
}
