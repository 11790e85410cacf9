import type { DatabaseHandle } from '../db/database';
import { LIVE_CHANNEL, LIVE_TOPICS, type LiveTopic } from './publish';

/** What a subscriber hears: the changed ids, or none at all meaning "anything may have changed: refetch". */
export type LiveListener = (ids: readonly string[]) => void;

export interface LiveHubOptions {
  /** A burst of changes within this window reaches a subscriber as one event (one refetch, not fifty). */
  coalesceMs: number;
  /** How often an open subscription checks that its session is still active and unlocked (AUTH-5). */
  sessionCheckMs: number;
}

export const DEFAULT_LIVE_HUB_OPTIONS: LiveHubOptions = { coalesceMs: 50, sessionCheckMs: 30_000 };

interface ParsedChange {
  organisationId: string;
  topic: LiveTopic;
  ids: string[];
}

const TOPICS: ReadonlySet<string> = new Set(LIVE_TOPICS);

/**
 * A notification's payload as publishChange wrote it (`{o, t, ids}`), or undefined for anything
 * else: the channel name is not secret, and another program on the database may NOTIFY on it.
 */
export function parseLivePayload(payload: string): ParsedChange | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { o, t, ids } = value as Record<string, unknown>;
  if (typeof o !== 'string' || o.length === 0 || typeof t !== 'string' || !TOPICS.has(t)) return undefined;
  if (!Array.isArray(ids) || !ids.every((id): id is string => typeof id === 'string')) return undefined;
  return { organisationId: o, topic: t as LiveTopic, ids };
}

/**
 * The live channel's one LISTEN in this backend instance (PLAT-10, docs/adr/0012): every committed
 * `publishChange` of any instance arrives here once and is handed to the subscribers of that
 * organisation and topic only. Subscriptions are in-memory per instance; what they hear is not, so
 * any number of instances can serve boards over one PostgreSQL.
 */
export class LiveHub {
  private readonly subscribers = new Map<string, Set<LiveListener>>();
  private unlisten: (() => Promise<void>) | undefined;
  private readonly ending = new AbortController();

  private constructor(readonly options: LiveHubOptions) {}

  /** LISTENs through the database handle (PostgreSQL: a dedicated connection; PGlite: its callback). */
  static async start(database: Pick<DatabaseHandle, 'listen'>, options: Partial<LiveHubOptions> = {}): Promise<LiveHub> {
    const hub = new LiveHub({ ...DEFAULT_LIVE_HUB_OPTIONS, ...options });
    hub.unlisten = await database.listen(LIVE_CHANNEL, {
      onPayload: (payload) => hub.deliver(payload),
      // Changes made while the LISTEN was down were not heard: every subscriber refetches.
      onReconnect: () => hub.broadcastRefetch(),
    });
    return hub;
  }

  /** Subscribes to one organisation's changes of one topic; returns the unsubscribe. */
  subscribe(organisationId: string, topic: LiveTopic, listener: LiveListener): () => void {
    const key = keyOf(organisationId, topic);
    let set = this.subscribers.get(key);
    if (!set) {
      set = new Set();
      this.subscribers.set(key, set);
    }
    set.add(listener);
    return () => {
      const current = this.subscribers.get(key);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.subscribers.delete(key);
    };
  }

  /** How many subscriptions this instance holds (for tests and the bench). */
  get subscriberCount(): number {
    let count = 0;
    for (const set of this.subscribers.values()) count += set.size;
    return count;
  }

  /** Aborted when the server closes: open streams end, or the HTTP server would wait for them forever. */
  get endSignal(): AbortSignal {
    return this.ending.signal;
  }

  /** Ends every open subscription (Fastify's preClose: before the server waits for its requests). */
  endSubscriptions(): void {
    this.ending.abort();
  }

  async stop(): Promise<void> {
    this.endSubscriptions();
    const unlisten = this.unlisten;
    this.unlisten = undefined;
    await unlisten?.();
  }

  private deliver(payload: string): void {
    const change = parseLivePayload(payload);
    if (!change) return;
    const set = this.subscribers.get(keyOf(change.organisationId, change.topic));
    if (!set) return;
    for (const listener of [...set]) listener(change.ids);
  }

  private broadcastRefetch(): void {
    for (const set of this.subscribers.values()) for (const listener of [...set]) listener([]);
  }
}

function keyOf(organisationId: string, topic: LiveTopic): string {
  return `${organisationId}\u0000${topic}`;
}
