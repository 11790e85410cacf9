import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, type Transaction } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { CommitCarryingPostgresDialect } from './commit-carrying-driver';
import { PreparedStatementClient } from './prepared-statements';
import type { DB } from './schema';

export type Database = Kysely<DB>;
/** The executor a repository function takes first: the database, or a transaction in progress. */
export type Executor = Database | Transaction<DB>;

export type DatabaseKind = 'pglite' | 'postgres';

/** What a LISTEN hears: each notification's payload, and a note when the connection came back after a drop. */
export interface ListenHandlers {
  onPayload(payload: string): void;
  /** Called after a dropped LISTEN connection is back: notifications sent in between were lost. */
  onReconnect?(): void;
  /** Called when the LISTEN connection is lost (before the reconnect): from now on nothing is heard. */
  onDisconnect?(): void;
}

/** A LISTEN that can also NOTIFY on its own connection (the session cache's barrier, docs/adr/0018). */
export interface ListenConnection {
  /** Whether the LISTEN is in place right now (false between a drop and the reconnect). */
  readonly isConnected: boolean;
  /**
   * Sends `pg_notify(channel, payload)` on the listening connection itself. Resolves when the
   * statement is done; the notification comes back through `onPayload` like any other.
   */
  notify(payload: string): Promise<void>;
  stop(): Promise<void>;
}

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /**
   * LISTENs on `channel` (PLAT-10, docs/adr/0012) on a connection of its own, never one of the pool's:
   * a pooled connection is handed to other queries and would miss or steal notifications. Resolves
   * once the LISTEN is in place; the returned function stops it.
   */
  listen(channel: string, handlers: ListenHandlers): Promise<() => Promise<void>>;
  /** The same LISTEN with a NOTIFY on its own connection; PostgreSQL only (PGlite has no second process to hear). */
  listenConnection?(channel: string, handlers: ListenHandlers): Promise<ListenConnection>;
  close(): Promise<void>;
}

/**
 * The role the application's queries run as (created by the migrations): it may read and append to
 * the audit log but never change it (AUD-4). Migrations run as the connecting login itself.
 */
export const APPLICATION_ROLE = 'journalkontor_app';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number; role?: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite'; instance: PGlite };

// PostgreSQL's timestamptz and date come back as JS Dates by default; dates (no time) are kept as
// 'yyyy-mm-dd' strings so that a date of birth never shifts with the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
/** The same for PGlite, whose parsers are set per instance: pass these to every `new PGlite`. */
export const PGLITE_OPTIONS = { parsers: { [pg.types.builtins.DATE]: (value: string) => value } } as const;

/**
 * Opens the database the configuration names: PostgreSQL through `pg` when DATABASE_URL is set
 * (production), otherwise an embedded PGlite in a local data folder (demo and development, PLAT-1).
 * PGlite has one connection: inside a transaction, use the transaction, never the outer `db`.
 */
export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      // Each statement parsed and planned once per connection, not on every call (measured).
      Client: PreparedStatementClient,
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // Set at connection start, so no query can run before it: a failure fails the connection.
      ...(target.role ? { options: `-c role=${target.role}` } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reports it.
    pool.on('error', () => {});
    // Kysely's dialect, whose COMMIT can carry a unit's audit events (docs/adr/0019).
    const db = new Kysely<DB>({ dialect: new CommitCarryingPostgresDialect({ pool }) });
    const listeners = new Set<() => Promise<void>>();
    return {
      db,
      kind: 'postgres',
      listen: async (channel, handlers) => {
        const connection = await listenOnPostgres({ url: target.url, role: target.role }, channel, handlers);
        const remove = async () => {
          listeners.delete(remove);
          await connection.stop();
        };
        listeners.add(remove);
        return remove;
      },
      listenConnection: async (channel, handlers) => {
        const connection = await listenOnPostgres({ url: target.url, role: target.role }, channel, handlers);
        const remove = async () => {
          listeners.delete(remove);
          await connection.stop();
        };
        listeners.add(remove);
        return {
          get isConnected() {
            return connection.isConnected;
          },
          notify: (payload) => connection.notify(payload),
          stop: remove,
        };
      },
      close: async () => {
        await Promise.all([...listeners].map((stop) => stop()));
        await db.destroy();
      },
    };
  }
  let pglite: PGlite;
  if ('instance' in target) {
    pglite = target.instance;
  } else {
    // PGlite does not create parent folders itself.
    await mkdir(target.dataDir, { recursive: true });
    pglite = new PGlite(target.dataDir, PGLITE_OPTIONS);
  }
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    // PGlite has one connection and delivers notifications to callbacks on it; nothing can drop.
    listen: async (channel, handlers) => pglite.listen(channel, (payload) => handlers.onPayload(payload)),
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}

/** Waits before reconnecting a dropped LISTEN: quick at first, then at most every 5 s. */
const LISTEN_RETRY_MS = [100, 250, 500, 1000, 2000, 5000] as const;

/**
 * A LISTEN on a dedicated `pg.Client` with the pool's URL and role, kept alive: when the server or
 * the network drops it, it reconnects with backoff, LISTENs again and says so (`onReconnect`), since
 * PostgreSQL does not replay what was sent while nobody listened.
 */
async function listenOnPostgres(target: { url: string; role?: string | undefined }, channel: string, handlers: ListenHandlers): Promise<ListenConnection> {
  let client: pg.Client | undefined;
  let isStopped = false;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: target.url,
      // TCP keepalive: a silently vanished server is noticed and the LISTEN re-established.
      keepAlive: true,
      ...(target.role ? { options: `-c role=${target.role}` } : {}),
    });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onPayload(message.payload);
    });
    // A lost connection emits 'error' then 'end': 'end' schedules the reconnect.
    next.on('error', () => {});
    next.on('end', () => {
      const wasCurrent = client === next;
      if (wasCurrent) client = undefined;
      if (wasCurrent && !isStopped) handlers.onDisconnect?.();
      if (!isStopped) scheduleReconnect();
    });
    try {
      await next.connect();
      await next.query(`listen ${next.escapeIdentifier(channel)}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => {});
      throw error;
    }
    if (isStopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
  };

  const scheduleReconnect = () => {
    if (retryTimer || isStopped) return;
    const delay = LISTEN_RETRY_MS[Math.min(attempt, LISTEN_RETRY_MS.length - 1)];
    attempt += 1;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().then(
        () => {
          attempt = 0;
          if (!isStopped) handlers.onReconnect?.();
        },
        () => scheduleReconnect(),
      );
    }, delay);
    retryTimer.unref();
  };

  // The first LISTEN must work: a wrong URL or role should stop the server's start, not retry forever.
  await connect();
  return {
    get isConnected() {
      return client !== undefined;
    },
    notify: async (payload) => {
      const current = client;
      if (!current) throw new Error('LISTEN connection is down');
      await current.query('select pg_notify($1, $2)', [channel, payload]);
    },
    stop: async () => {
      isStopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
