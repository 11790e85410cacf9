import { sql } from 'kysely';
import type { Database, Executor } from '../db/database';

/**
 * Messages leave through an outbox table, written in the same transaction as what caused them, and
 * delivered afterwards by a provider (AUTH-1, PLAT-7). No message may carry health data: templates
 * are the only producers, and tests read every message the outbox holds.
 */
export type MessageChannel = 'sms' | 'email';

export interface OutgoingMessage {
  organisationId: string | null;
  channel: MessageChannel;
  recipient: string;
  /** Which template made it: lets tests and the DPO see what kinds of messages exist. */
  template: string;
  subject?: string;
  body: string;
}

export interface MessageProvider {
  readonly name: string;
  send(message: OutgoingMessage & { id: string }): Promise<void>;
}

/**
 * The development provider: "sending" is recording. The row itself is the record, readable in the
 * app's developer view (demo mode) and in the database. Real SMS and e-mail providers implement the
 * same interface and are chosen by environment when they exist.
 */
export const developmentProvider: MessageProvider = {
  name: 'development',
  async send() {},
};

export async function enqueueMessage(trx: Executor, message: OutgoingMessage): Promise<void> {
  await trx
    .insertInto('outbox_message')
    .values({
      organisation_id: message.organisationId,
      channel: message.channel,
      recipient: message.recipient,
      template: message.template,
      subject: message.subject ?? null,
      body: message.body,
    })
    .execute();
}

/**
 * Delivers pending messages. Safe with several backend instances: each claims its rows with
 * FOR UPDATE SKIP LOCKED. Returns how many were sent.
 */
export async function deliverPendingMessages(db: Database, providers: Record<MessageChannel, MessageProvider>, limit = 50): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{ id: string; organisation_id: string | null; channel: MessageChannel; recipient: string; template: string; subject: string | null; body: string }>`
      select id, organisation_id, channel, recipient, template, subject, body from outbox_message
       where status = 'pending' order by created_at limit ${limit} for update skip locked`.execute(trx);
    let sent = 0;
    for (const row of rows.rows) {
      const provider = providers[row.channel];
      try {
        await provider.send({
          id: row.id,
          organisationId: row.organisation_id,
          channel: row.channel,
          recipient: row.recipient,
          template: row.template,
          subject: row.subject ?? undefined,
          body: row.body,
        });
        await trx.updateTable('outbox_message').set({ status: 'sent', sent_at: new Date(), provider: provider.name, attempts: sql`attempts + 1` }).where('id', '=', row.id).execute();
        sent++;
      } catch {
        await trx
          .updateTable('outbox_message')
          .set({ attempts: sql`attempts + 1`, status: sql`case when attempts >= 4 then 'failed' else 'pending' end` })
          .where('id', '=', row.id)
          .execute();
      }
    }
    return sent;
  });
}
