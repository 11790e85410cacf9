import { z } from 'zod';
import { sequenceId } from '../../shared/schema-primitives';
import { authenticatedProcedure, router } from '../trpc';

const PAGE_SIZE_MAX = 200;

/** AUD-7: every user sees the events about their own actions (Normen). Reading is itself logged. */
export const activityRouter = router({
  mine: authenticatedProcedure
    .meta({ audit: ['audit.read.own'] })
    .input(
      z
        .object({
          /** Keyset pagination: events older than this id (never OFFSET). */
          before: sequenceId().optional(),
          limit: z.number().int().min(1).max(PAGE_SIZE_MAX).default(50),
        })
        .strict(),
    )
    .query(async ({ ctx, input }) => {
      const rows = await ctx.trx
        .selectFrom('audit_event')
        .select(['id', 'occurred_at', 'action', 'outcome', 'reason', 'auth_method', 'device_id', 'object_type', 'object_id', 'patient_id', 'basis', 'client_ip'])
        .where('organisation_id', '=', ctx.session.organisationId)
        .where('user_id', '=', ctx.session.userId)
        .$if(input.before !== undefined, (query) => query.where('id', '<', input.before as string))
        .orderBy('id', 'desc')
        .limit(input.limit + 1)
        .execute();
      const page = rows.slice(0, input.limit);
      // The read event is written in this transaction: if it cannot be written, nothing is returned (AUD-3).
      ctx.audit.record({ basis: 'own_data', details: { shown: page.length } });
      return {
        events: page.map((row) => ({
          id: String(row.id),
          occurredAt: row.occurred_at.toISOString(),
          action: row.action,
          outcome: row.outcome,
          reason: row.reason,
          authMethod: row.auth_method,
          deviceId: row.device_id,
          objectType: row.object_type,
          objectId: row.object_id,
          patientId: row.patient_id,
          basis: row.basis,
          clientIp: row.client_ip,
        })),
        nextBefore: rows.length > input.limit ? String(page.at(-1)?.id) : null,
      };
    }),
});
