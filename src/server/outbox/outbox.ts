import { sql } from 'kysely';
import type { Database, Executor } from '../db/database';

/**
 * Messages leave through an outbox table, written in the same transaction as what caused them, and
 * delivered afterwards by a provider (AUTH-1, PLAT-7). No message may carry health data: templates
 * are the only producers, and tests read every message the outbox holds.
 */
/** 'notifier': a signal to a user of the app ("a new visit is waiting"), never with personal data (VIS-2). */
export type MessageChannel = 'sms' | 'email' | 'notifier';

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

export interface DeliveredMessage extends OutgoingMessage {
  id: string;
  createdAt: Date;
}

/**
 * Where the development provider "delivers": this process's memory, the last few hundred messages,
 * read by the demo's developer view. Not the database: a delivered message's body (an invitation
 * link, a code) is purged from the outbox, so a dump or backup holds none (issue 8 §5). Memory is
 * the right place for a stand-in for someone's phone and inbox: it is the demo's, one process,
 * gone at restart like a real message would be gone from our side.
 */
export class DevelopmentMailbox {
  private readonly messages: DeliveredMessage[] = [];
  constructor(private readonly capacity = 500) {}

  record(message: DeliveredMessage): void {
    this.messages.unshift(message);
    this.messages.length = Math.min(this.messages.length, this.capacity);
  }

  /** Newest first, only the organisation's own (PLAT-3). */
  of(organisationId: string, limit = 50): DeliveredMessage[] {
    return this.messages.filter((message) => message.organisationId === organisationId).slice(0, limit);
  }
}

/**
 * The development provider: "sending" is recording into the mailbox. Real SMS and e-mail providers
 * implement the same interface and are chosen by environment when they exist.
 */
export function developmentProvider(mailbox: DevelopmentMailbox): MessageProvider {
  return {
    name: 'development',
    async send(message) {
      mailbox.record({ ...message, createdAt: new Date() });
    },
  };
}

export async function enqueueMessage(trx: Executor, message: OutgoingMessage): Promise<void> {
  await enqueueMessages(trx, [message]);
}

/** Several messages in one statement (a booking's SMS, e-mail and notices: one round trip, not five). */
export async function enqueueMessages(trx: Executor, messages: readonly OutgoingMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await trx
    .insertInto('outbox_message')
    .values(
      messages.map((message) => ({
        organisation_id: message.organisationId,
        channel: message.channel,
        recipient: message.recipient,
        template: message.template,
        subject: message.subject ?? null,
        body: message.body,
      })),
    )
    .execute();
}

/**
 * Delivers pending messages. Safe with several backend instances: each claims its rows with
 * FOR UPDATE SKIP LOCKED. Returns how many were sent. A message's body is purged in the same
 * UPDATE that marks it sent (or failed for good): links and codes live in the database only
 * until they are handed to the provider (issue 8 §5).
 */
export async function deliverPendingMessages(db: Database, providers: Partial<Record<MessageChannel, MessageProvider>>, limit = 50): Promise<number> {
  // A channel without a provider here keeps its messages pending for an instance that has one.
  const channels = Object.keys(providers);
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{ id: string; organisation_id: string | null; channel: MessageChannel; recipient: string; template: string; subject: string | null; body: string }>`
      select id, organisation_id, channel, recipient, template, subject, body from outbox_message
       where status = 'pending' and body is not null and channel = any(${channels}) order by created_at limit ${limit} for update skip locked`.execute(trx);
    let sent = 0;
    for (const row of rows.rows) {
      const provider = providers[row.channel];
      if (!provider) continue;
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
        const at = new Date();
        await trx
          .updateTable('outbox_message')
          .set({ status: 'sent', sent_at: at, provider: provider.name, attempts: sql`attempts + 1`, body: null, purged_at: at })
          .where('id', '=', row.id)
          .execute();
        sent++;
      } catch {
        await trx
          .updateTable('outbox_message')
          .set({
            attempts: sql`attempts + 1`,
            status: sql`case when attempts >= 4 then 'failed' else 'pending' end`,
            // Given up: the body goes too, as it would have after delivery.
            body: sql`case when attempts >= 4 then null else body end`,
            purged_at: sql`case when attempts >= 4 then now() else null end`,
          })
          .where('id', '=', row.id)
          .execute();
      }
    }
    return sent;
  });
}
