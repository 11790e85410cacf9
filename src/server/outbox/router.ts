import { notFound } from '../errors';
import { publicProcedure, router } from '../trpc';

/**
 * The developer view of the message outbox (AUTH-1): in demo mode only, so a person trying the demo
 * can read the invitation e-mail and SMS that a real provider would have delivered. Outside demo
 * mode it does not exist.
 */
export const developerRouter = router({
  outbox: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.config.isDemo) throw notFound();
    const rows = await ctx.db
      .selectFrom('outbox_message')
      .select(['id', 'channel', 'recipient', 'template', 'subject', 'body', 'created_at', 'status'])
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute();
    return rows.map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
  }),
});
