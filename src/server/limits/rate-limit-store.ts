import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database';

type IncrCallback = (error: Error | null, result: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit kept in PostgreSQL (PLAT-9, PLAT-10): every backend instance
 * counts in the same rows, so a limit holds however many instances share the load — a counter in
 * each process's memory would let an attacker multiply it by spreading requests. One statement per
 * check: an upsert that starts a new window when the old one has ended, on the database's clock
 * (one clock for all instances). Keys are stored as SHA-256, so the table holds no client address.
 */
export function postgresRateLimitStore(db: Database) {
  return class PostgresRateLimitStore {
    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      const keyHash = createHash('sha256').update(key, 'utf8').digest();
      const windowMs = Math.max(1, Math.trunc(timeWindow));
      sql<{ hits: number; ttl_ms: string }>`
        insert into rate_limit_counter as c (key_hash, hits, window_ends_at)
        values (${keyHash}, 1, clock_timestamp() + ${windowMs} * interval '1 millisecond')
        on conflict (key_hash) do update set
          hits = case when c.window_ends_at <= clock_timestamp() then 1 else c.hits + 1 end,
          window_ends_at = case when c.window_ends_at <= clock_timestamp()
            then clock_timestamp() + ${windowMs} * interval '1 millisecond' else c.window_ends_at end
        returning hits, ceil(extract(epoch from (window_ends_at - clock_timestamp())) * 1000)::bigint as ttl_ms`
        .execute(db)
        .then((result) => {
          const row = result.rows[0];
          callback(null, { current: Number(row?.hits ?? 1), ttl: Math.max(0, Number(row?.ttl_ms ?? windowMs)) });
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error('rate limit store failed'), { current: 0, ttl: 0 }));
    }

    /** Every limiter shares the table; keys differ by procedure and scope. */
    child(): PostgresRateLimitStore {
      return new PostgresRateLimitStore();
    }
  };
}

/** Drops windows that ended (run by the background jobs): the table stays as small as the traffic of one window. */
export async function deleteExpiredRateLimits(db: Database): Promise<number> {
  const result = await db.deleteFrom('rate_limit_counter').where('window_ends_at', '<', sql<Date>`clock_timestamp()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}
