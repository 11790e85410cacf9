import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { APP_ORIGIN, DEFAULT_BACKEND_PORT } from '../shared/app-constants';

/**
 * The backend's whole configuration comes from environment variables, validated once at start.
 * A bad value stops the server with a message naming the variable (and never echoing its value:
 * DATABASE_URL may hold a password).
 */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const environmentSchema = z.object({
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  // The owner's login, for migrations only (docs/adr/0006); the server itself runs as DATABASE_URL.
  DATABASE_OWNER_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  JK_DATA_DIR: z.string().min(1).default('.data/pglite'),
  JK_HOST: z.string().min(1).default('127.0.0.1'),
  JK_PORT: z.coerce.number().int().min(0).max(65535).default(DEFAULT_BACKEND_PORT),
  JK_DEMO: booleanFlag.default(false),
  JK_ALLOWED_ORIGINS: z
    .string()
    .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine((url) => originOf(url) !== null, 'must be an http:// or https:// URL')))
    .optional(),
  JK_SERVE_RENDERER: z.string().min(1).optional(),
  JK_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(50 * 1024 * 1024).default(1024 * 1024),
  JK_TRUST_PROXY: booleanFlag.default(false),
  JK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JK_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  JK_SECRET_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  // AUTH-5 fixes the step-up window at 5 minutes; an organisation may only shorten it (tests do).
  JK_STEP_UP_WINDOW_SECONDS: z.coerce.number().int().min(5).max(300).default(300),
  JK_PUBLIC_APP_URL: z.string().refine((url) => originOf(url) !== null, 'must be an http:// or https:// URL').optional(),
  // AUD-4, ADR 0007: where the sealer appends each seal's hash, outside the database.
  JK_AUDIT_WITNESS_FILE: z.string().min(1).optional(),
  // DPO-2: how often the flags job judges newly sealed audit events (the end-to-end tests shorten it).
  JK_DPO_FLAGS_EVERY_SECONDS: z.coerce.number().int().min(5).max(3600).default(300),
  // PLAT-9: rate limits per window, per procedure. "Auth" is login, unlock, step-up and every
  // invitation step; "public" is every other route callable without a session (health, status).
  // The public per-address default is high because a clinic's computers share one address behind
  // NAT and each app polls system.health every 3 s (20 a minute).
  JK_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  JK_RATE_LIMIT_AUTH_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
  JK_RATE_LIMIT_AUTH_OVERALL: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  JK_RATE_LIMIT_PUBLIC_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(1200),
  JK_RATE_LIMIT_PUBLIC_OVERALL: z.coerce.number().int().min(1).max(10_000_000).default(60_000),
  JK_TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(100).default(10),
  // argon2 work at once in this process, how many may wait, and how many one address may hold.
  JK_ARGON2_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  JK_ARGON2_QUEUE: z.coerce.number().int().min(0).max(1000).default(8),
  JK_ARGON2_PER_ADDRESS: z.coerce.number().int().min(1).max(64).default(2),
  // PLAT-10: backend processes `npm run server` starts on PostgreSQL (default: one per core); PGlite is always one.
  JK_WORKERS: z.coerce.number().int().min(1).max(256).optional(),
  // AUTH-5, docs/adr/0018: the per-process session cache; off only to measure what it saves.
  JK_SESSION_CACHE: booleanFlag.default(true),
});

/**
 * The origin a browser sends in its Origin header for this URL, or null when there is none. A URL
 * of another scheme (file:, data:, mailto: …) has the opaque origin "null", which sandboxed frames
 * and local files also send: allowing it would open CORS to all of them.
 */
function originOf(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin;
  return `${url.protocol}//${url.host}` === APP_ORIGIN ? APP_ORIGIN : null;
}

/** Whether two PostgreSQL URLs log in as the same user (an unparsable URL compares as itself). */
function sameLogin(a: string, b: string): boolean {
  const user = (url: string) => (URL.canParse(url) ? decodeURIComponent(new URL(url).username) : url);
  return user(a) === user(b);
}

export interface ServerConfig {
  database:
    | {
        kind: 'postgres';
        /** The application's login: only the rights of journalkontor_app (docs/adr/0006). */
        url: string;
        /** The owner's login, used only to run migrations (at start when given, and by `npm run migrate`). */
        ownerUrl: string | undefined;
        poolSize: number;
      }
    | { kind: 'pglite'; dataDir: string };
  host: string;
  port: number;
  isDemo: boolean;
  /** Browser origins allowed to call the API (CORS). The desktop app's own origin is always one. */
  allowedOrigins: string[];
  /** Folder of the built renderer to serve for the browser fallback, if any. */
  rendererDir: string | undefined;
  bodyLimitBytes: number;
  trustProxy: boolean;
  logLevel: string;
  /**
   * The key that encrypts second-factor secrets (AUTH-5), kept outside the database. Required with
   * DATABASE_URL; with PGlite, a key file beside the data folder is created on first start.
   */
  secretKey: Buffer | undefined;
  /** Where people open the app; invitation links point here. Defaults to the server's own address. */
  publicAppUrl: string | undefined;
  /** How recent a second factor must be for signing, printing, exports and resets (AUTH-5): at most 5 minutes. */
  stepUpWindowMs: number;
  /**
   * The seal witness file (AUD-4, ADR 0007): JK_AUDIT_WITNESS_FILE, or with PGlite a file beside the
   * data folder. With PostgreSQL and no path there is no witness (README: set one, on storage the
   * database's owner cannot write).
   */
  auditWitnessPath: string | undefined;
  /** DPO-2: the flags job's interval; five minutes when not given. */
  dpoFlagsEveryMs?: number | undefined;
  limits: LimitsConfig;
  /** PLAT-10: how many worker processes `npm run server` forks on PostgreSQL; undefined means one per core. */
  workers?: number | undefined;
  /** AUTH-5, docs/adr/0018: whether sessions are cached per process (PostgreSQL only). */
  isSessionCacheEnabled?: boolean;
}

/** PLAT-9: attack limits (docs/adr/0005). */
export interface LimitsConfig {
  windowMs: number;
  /** Per procedure and window: login, unlock, step-up and the invitation steps. */
  authPerAddress: number;
  authOverall: number;
  /** Per procedure and window: every other public route. */
  publicPerAddress: number;
  publicOverall: number;
  /** Most calls in one tRPC batch; more get 400. */
  maxBatch: number;
  argon2: { concurrency: number; queue: number; perAddress: number };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  // Treat empty variables as unset, as a shell user would expect (`JK_PORT= npm run server`).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.JK_SECRET_KEY) {
    throw new ConfigError(['JK_SECRET_KEY: required with DATABASE_URL (32 random bytes, base64: openssl rand -base64 32)']);
  }
  if (e.DATABASE_OWNER_URL && !e.DATABASE_URL) {
    throw new ConfigError(['DATABASE_OWNER_URL: only with DATABASE_URL (PGlite has one user and needs neither)']);
  }
  if (e.DATABASE_URL && e.DATABASE_OWNER_URL && sameLogin(e.DATABASE_URL, e.DATABASE_OWNER_URL)) {
    throw new ConfigError(['DATABASE_OWNER_URL: must name another login than DATABASE_URL (the server must not run as the owner)']);
  }
  return {
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, ownerUrl: e.DATABASE_OWNER_URL, poolSize: e.JK_DB_POOL_SIZE }
      : { kind: 'pglite', dataDir: resolve(e.JK_DATA_DIR) },
    host: e.JK_HOST,
    port: e.JK_PORT,
    isDemo: e.JK_DEMO,
    allowedOrigins: [...new Set([APP_ORIGIN, ...(e.JK_ALLOWED_ORIGINS ?? []).map((url) => originOf(url) ?? APP_ORIGIN)])],
    rendererDir: e.JK_SERVE_RENDERER ? resolve(e.JK_SERVE_RENDERER) : undefined,
    bodyLimitBytes: e.JK_BODY_LIMIT_BYTES,
    trustProxy: e.JK_TRUST_PROXY,
    logLevel: e.JK_LOG_LEVEL,
    secretKey: e.JK_SECRET_KEY ? Buffer.from(e.JK_SECRET_KEY, 'base64') : undefined,
    stepUpWindowMs: e.JK_STEP_UP_WINDOW_SECONDS * 1000,
    publicAppUrl: e.JK_PUBLIC_APP_URL?.replace(/\/+$/, ''),
    auditWitnessPath: e.JK_AUDIT_WITNESS_FILE ? resolve(e.JK_AUDIT_WITNESS_FILE) : e.DATABASE_URL ? undefined : join(dirname(resolve(e.JK_DATA_DIR)), 'audit-witness.jsonl'),
    dpoFlagsEveryMs: e.JK_DPO_FLAGS_EVERY_SECONDS * 1000,
    workers: e.JK_WORKERS,
    isSessionCacheEnabled: e.JK_SESSION_CACHE,
    limits: {
      windowMs: e.JK_RATE_LIMIT_WINDOW_SECONDS * 1000,
      authPerAddress: e.JK_RATE_LIMIT_AUTH_PER_ADDRESS,
      authOverall: e.JK_RATE_LIMIT_AUTH_OVERALL,
      publicPerAddress: e.JK_RATE_LIMIT_PUBLIC_PER_ADDRESS,
      publicOverall: e.JK_RATE_LIMIT_PUBLIC_OVERALL,
      maxBatch: e.JK_TRPC_MAX_BATCH,
      argon2: { concurrency: e.JK_ARGON2_CONCURRENCY, queue: e.JK_ARGON2_QUEUE, perAddress: e.JK_ARGON2_PER_ADDRESS },
    },
  };
}
