import { randomUUID } from 'node:crypto';
import type { Database, DatabaseHandle, ListenConnection } from '../db/database';
import { IDLE_TIMEOUT_MS, resolveSession, type SessionLookup, type SessionUser, TOUCH_INTERVAL_MS, touchSessionRow } from './session';
import { hashToken } from './tokens';

/** The channel the database announces session, account and role changes on (migration 2026-12-10T11-00). */
export const SESSION_CHANNEL = 'jk_session';

export interface SessionCacheOptions {
  /** Most sessions held; past it the oldest entry goes (a miss only costs one read). */
  maxEntries: number;
  /** A barrier not heard back within this is given up: the request reads the database instead. */
  barrierTimeoutMs: number;
}

export const DEFAULT_SESSION_CACHE_OPTIONS: SessionCacheOptions = { maxEntries: 20_000, barrierTimeoutMs: 2_000 };

interface Entry {
  session: SessionUser;
  /** Before this, no touch is tried (the row is known to be at most 15 s old). */
  nextTouchAt: number;
}

/** How the cache answered, for tests and the measurement (never for decisions). */
export interface SessionCacheStats {
  hits: number;
  misses: number;
  barriers: number;
  barrierFailures: number;
  invalidations: number;
}

/**
 * AUTH-5, PLAT-10 (docs/adr/0018): the sessions this process has seen, keyed by token hash, so the
 * session check of a request costs no query of its own — without ever deciding otherwise than the
 * database would at the moment the request arrived:
 *
 * - Only a session that is active by its cached times is answered from the cache. Anything that
 *   looks locked (idle) or expired is read from the database, which may know better (another
 *   process touched it; the expiry must be ended and logged there anyway).
 * - Every change that ends or alters a session (ended, second factor, account status, admin lock,
 *   name, roles) is announced by database triggers on `jk_session`; this process LISTENs once and
 *   drops what it hears about.
 * - A notification arrives after its commit, asynchronously. So before a cached answer is used, the
 *   cache sends a barrier: a NOTIFY of its own on its LISTEN connection, and waits until it hears
 *   it back. PostgreSQL delivers one channel's notifications in the order they entered its queue,
 *   and a transaction enters the queue before it commits; a revocation committed before this
 *   request arrived therefore entered the queue before the barrier and is heard before it. One
 *   barrier serves every request that arrived before it was sent (like a group commit), on the
 *   LISTEN connection, not the pool.
 * - While the LISTEN connection is down nothing is cached and every request reads the database;
 *   when it comes back everything cached is dropped (what was said in between is lost).
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every invalidation: a read that began before one may not fill the cache. */
  private generation = 0;
  private connection: ListenConnection | undefined;
  private readonly tag = randomUUID();
  private barrierSequence = 0;
  /** The barrier on its way, and the requests waiting for it. */
  private inFlight: { payload: string; finish: (isHeard: boolean) => void } | undefined;
  /** Requests that arrived while a barrier was on its way: it may have been sent before they came, so they wait for the next. */
  private waiting: ((isHeard: boolean) => void)[] = [];
  readonly stats: SessionCacheStats = { hits: 0, misses: 0, barriers: 0, barrierFailures: 0, invalidations: 0 };

  private constructor(private readonly options: SessionCacheOptions) {}

  /**
   * Starts the cache on a PostgreSQL handle; undefined on PGlite, which has one process and one
   * connection: there the session read is in-process and a cache would save next to nothing.
   */
  static async start(database: Pick<DatabaseHandle, 'listenConnection'>, options: Partial<SessionCacheOptions> = {}): Promise<SessionCache | undefined> {
    if (!database.listenConnection) return undefined;
    const cache = new SessionCache({ ...DEFAULT_SESSION_CACHE_OPTIONS, ...options });
    cache.connection = await database.listenConnection(SESSION_CHANNEL, {
      onPayload: (payload) => cache.hear(payload),
      onDisconnect: () => cache.forgetAll(),
      onReconnect: () => cache.forgetAll(),
    });
    return cache;
  }

  /** How many sessions are held (tests). */
  get size(): number {
    return this.entries.size;
  }

  /** What `resolveSession` would answer for this token now, from the cache when that is sound. */
  async resolve(db: Database, token: string, now: Date): Promise<SessionLookup> {
    const key = hashToken(token).toString('base64');
    if (this.connection?.isConnected && this.isUsable(this.entries.get(key), now)) {
      if (await this.barrier()) {
        const entry = this.entries.get(key);
        if (entry && this.isUsable(entry, now)) {
          this.stats.hits += 1;
          return { status: 'active', session: entry.session };
        }
      }
    }
    this.stats.misses += 1;
    const generation = this.generation;
    const lookup = await resolveSession(db, token, now);
    if (lookup.status === 'active' && generation === this.generation && this.connection?.isConnected) {
      this.entries.delete(key);
      this.entries.set(key, { session: lookup.session, nextTouchAt: lookup.session.lastSeenAt.getTime() + TOUCH_INTERVAL_MS });
      if (this.entries.size > this.options.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    } else if (lookup.status !== 'active') {
      this.entries.delete(key);
    }
    return lookup;
  }

  /**
   * Marks an active session used (at most every 15 s per process, as touchSession does) and moves
   * the cached last_seen_at along. Whatever the cache keeps is a lower bound of the stored value:
   * if the row did not move, another process moved it within the last 15 s.
   */
  async touch(db: Database, token: string, session: SessionUser, now: Date): Promise<void> {
    const key = hashToken(token).toString('base64');
    const entry = this.entries.get(key);
    const nextTouchAt = entry?.session.sessionId === session.sessionId ? entry.nextTouchAt : session.lastSeenAt.getTime() + TOUCH_INTERVAL_MS;
    if (now.getTime() < nextTouchAt) return;
    const isMoved = await touchSessionRow(db, session.sessionId, now);
    const current = this.entries.get(key);
    if (!current || current.session.sessionId !== session.sessionId) return;
    const seen = isMoved ? now.getTime() : now.getTime() - TOUCH_INTERVAL_MS;
    const lastSeenAt = new Date(Math.max(seen, current.session.lastSeenAt.getTime()));
    this.entries.set(key, { session: { ...current.session, lastSeenAt }, nextTouchAt: now.getTime() + TOUCH_INTERVAL_MS });
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    this.forgetAll();
    await connection?.stop();
  }

  /** Active by its cached times: not expired, not idle past the lock (the same bounds as resolveSession). */
  private isUsable(entry: Entry | undefined, now: Date): entry is Entry {
    if (!entry) return false;
    const at = now.getTime();
    return at < entry.session.expiresAt.getTime() && at - entry.session.lastSeenAt.getTime() <= IDLE_TIMEOUT_MS;
  }

  /** Resolves true once every notification committed before the call has been heard; false if that cannot be shown. */
  private barrier(): Promise<boolean> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      if (!this.inFlight) this.sendBarrier();
    });
  }

  private sendBarrier(): void {
    const connection = this.connection;
    const waiters = this.waiting;
    this.waiting = [];
    if (waiters.length === 0) return;
    if (!connection?.isConnected) {
      for (const resolve of waiters) resolve(false);
      return;
    }
    this.barrierSequence += 1;
    this.stats.barriers += 1;
    const payload = `b:${this.tag}:${this.barrierSequence}`;
    const finish = (isHeard: boolean) => {
      if (this.inFlight?.payload !== payload) return;
      clearTimeout(timer);
      this.inFlight = undefined;
      if (!isHeard) this.stats.barrierFailures += 1;
      for (const resolve of waiters) resolve(isHeard);
      if (this.waiting.length > 0) this.sendBarrier();
    };
    const timer = setTimeout(() => finish(false), this.options.barrierTimeoutMs);
    timer.unref();
    this.inFlight = { payload, finish };
    connection.notify(payload).catch(() => finish(false));
  }

  private hear(payload: string): void {
    if (payload.startsWith('b:')) {
      // Another process's barrier says nothing about sessions.
      if (payload === this.inFlight?.payload) this.inFlight.finish(true);
      return;
    }
    this.generation += 1;
    this.stats.invalidations += 1;
    const kind = payload.slice(0, 2);
    const id = payload.slice(2);
    if (kind !== 's:' && kind !== 'u:') {
      // Not ours to parse (anyone may NOTIFY on a channel): drop everything rather than guess.
      this.entries.clear();
      return;
    }
    for (const [key, entry] of this.entries) {
      if ((kind === 's:' ? entry.session.sessionId : entry.session.userId) === id) this.entries.delete(key);
    }
  }

  private forgetAll(): void {
    this.generation += 1;
    this.entries.clear();
    // A barrier sent on a lost connection will never be heard.
    this.inFlight?.finish(false);
  }
}
