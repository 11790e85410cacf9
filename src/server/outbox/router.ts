import { notFound } from '../errors';
import { roleProcedure, router } from '../trpc';

/**
 * The developer view of the message outbox (AUTH-1): in demo mode only, so a person trying the demo
 * can read the invitation e-mail and SMS that a real provider would have delivered. Outside demo
 * mode it does not exist. It needs a logged-in admin and shows only that admin's organisation's
 * messages (issue 8 §5): messages still waiting in the outbox, and those the development provider
 * "delivered" into its in-memory mailbox — the database no longer holds a delivered body.
 */
export const developerRouter = router({
  outbox: roleProcedure(['admin']).query(async ({ ctx }) => {
    if (!ctx.config.isDemo) throw notFound();
    const organisationId = ctx.session.organisationId;
    const pending = await ctx.db
      .selectFrom('outbox_message')
      .select(['id', 'channel', 'recipient', 'template', 'subject', 'body', 'created_at', 'status'])
      .where('organisation_id', '=', organisationId)
      .where('status', '=', 'pending')
      .orderBy('created_at', 'desc')
      .limit(50)
      .execute();
    const delivered = ctx.mailbox.of(organisationId).map((message) => ({
      id: message.id,
      channel: message.channel,
      recipient: message.recipient,
      template: message.template,
      subject: message.subject ?? null,
      body: message.body,
      created_at: message.createdAt,
      status: 'sent' as const,
    }));
    const pendingIds = new Set(pending.map((row) => row.id));
    return [...pending.map((row) => ({ ...row, body: row.body ?? '' })), ...delivered.filter((message) => !pendingIds.has(message.id))]
      .sort((a, b) => b.created_at.getTime() - a.created_at.getTime())
      .slice(0, 50)
      .map((row) => ({ ...row, created_at: row.created_at.toISOString() }));
  }),
});
