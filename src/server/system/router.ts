import { sql } from 'kysely';
import { z } from 'zod';
import { appliedMigrations } from '../db/migrate';
import { publicProcedure, router } from '../trpc';
import { APP_VERSION } from '../version';

const healthOutput = z.object({ status: z.enum(['ok', 'degraded']), database: z.enum(['ok', 'unreachable']) });

export const systemRouter = router({
  /** What the app polls to show whether the backend (and its database) can be reached (DESK-4). */
  health: publicProcedure.output(healthOutput).query(async ({ ctx }) => {
    try {
      await sql`select 1`.execute(ctx.db);
      return { status: 'ok' as const, database: 'ok' as const };
    } catch {
      return { status: 'degraded' as const, database: 'unreachable' as const };
    }
  }),

  /** Facts about this installation for the status page. Nothing here belongs to an organisation. */
  info: publicProcedure.query(async ({ ctx }) => {
    const migrations = await appliedMigrations(ctx.db);
    return {
      version: APP_VERSION,
      databaseKind: ctx.databaseKind,
      schemaVersion: migrations.at(-1) ?? null,
      migrationCount: migrations.length,
      isDemo: ctx.config.isDemo,
      serverTime: ctx.now().toISOString(),
    };
  }),
});
