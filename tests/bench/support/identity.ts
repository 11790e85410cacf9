import { randomBytes } from 'node:crypto';
import type { Role } from '../../../src/shared/roles';
import { hashPassword } from '../../../src/server/auth/password';
import { SecretBox } from '../../../src/server/auth/secret-box';
import { encryptTotpSecret } from '../../../src/server/auth/second-factor';
import { newTotpSecret, totpCodeAt } from '../../../src/server/auth/totp';
import { loadConfig } from '../../../src/server/config';
import { createContextInner, type RequestFacts } from '../../../src/server/context';
import type { Database } from '../../../src/server/db/database';
import { insertOrganisation } from '../../../src/server/organisation/repository';
import { appRouter } from '../../../src/server/router';
import { createCallerFactory } from '../../../src/server/trpc';
import { WorkGate } from '../../../src/server/limits/work-gate';
import { DevelopmentMailbox } from '../../../src/server/outbox/outbox';

// Copied in spirit from tests/integration/support/identity.ts, without vitest (the bench is a plain script).

export const BENCH_PASSWORD = 'korrekt-hest-batteri-stift';
/** The key second-factor secrets are encrypted with; a server started by a benchmark gets it as JK_SECRET_KEY. */
export const BENCH_SECRET_KEY = randomBytes(32);
export const benchSecretBox = new SecretBox(BENCH_SECRET_KEY);
const config = loadConfig({ JK_LOG_LEVEL: 'silent' });

/** A controllable server clock: logins move it instead of sleeping. */
export class BenchClock {
  constructor(private current = new Date()) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface BenchUser {
  id: string;
  organisationId: string;
  email: string;
  totpSecret: string;
}

let sequence = 0;

export function createOrganisation(db: Database, name = `Benkeklinikk ${++sequence}`) {
  return insertOrganisation(db, { name, organisationNumber: null, isDemo: false });
}

let sharedHash: Promise<string> | undefined;

/**
 * An active, enrolled user made directly in the database. All bench users share one argon2 hash of
 * BENCH_PASSWORD (made once), so setting up dozens of users costs one hash, not dozens.
 */
export async function createUser(db: Database, organisationId: string, roles: Role[] = ['clinician']): Promise<BenchUser> {
  sharedHash ??= hashPassword(BENCH_PASSWORD);
  const email = `bench${++sequence}-${randomBytes(3).toString('hex')}@bench.example`;
  const totpSecret = newTotpSecret();
  const user = await db
    .insertInto('app_user')
    .values({
      organisation_id: organisationId,
      email,
      display_name: `Benk ${sequence}`,
      phone: '+4799999999',
      profession: roles.includes('clinician') ? 'lege' : null,
      hpr_number: roles.includes('clinician') ? '1234567' : null,
      status: 'active',
      password_hash: await sharedHash,
      totp_secret_encrypted: null,
      totp_enrolled_at: new Date('2026-01-01T00:00:00Z'),
      locked_until: null,
      last_login_at: null,
    })
    .returning(['id', 'organisation_id'])
    .executeTakeFirstOrThrow();
  await db
    .updateTable('app_user')
    .set({ totp_secret_encrypted: encryptTotpSecret(benchSecretBox, user.id, totpSecret) })
    .where('id', '=', user.id)
    .execute();
  await db
    .insertInto('role_grant')
    .values(roles.map((role) => ({ organisation_id: organisationId, user_id: user.id, role, granted_by: null, revoked_at: null, revoked_by: null })))
    .execute();
  return { id: user.id, organisationId, email, totpSecret };
}

const createCaller = createCallerFactory(appRouter);
const silentLog = { info() {}, warn() {}, error() {}, debug() {}, fatal() {}, trace() {}, child: () => silentLog, level: 'silent', silent() {} };

/** The context a request would get, without HTTP: the same middleware runs. */
export function benchContext(db: Database, now: () => Date, request: RequestFacts = {}) {
  return createContextInner(
    { db, databaseKind: 'postgres', config, log: silentLog as never, now, secretBox: benchSecretBox, passwordGate: new WorkGate(config.limits.argon2), mailbox: new DevelopmentMailbox() },
    request,
  );
}

/** Calls the real router's procedures directly (createCaller). */
export function benchCaller(db: Database, now: () => Date, request: RequestFacts = {}) {
  return createCaller(benchContext(db, now, request));
}

/** Logs in through the real procedures: password, then a TOTP code computed for the clock's time. */
export async function login(db: Database, user: BenchUser, clock: BenchClock): Promise<string> {
  const caller = benchCaller(db, clock.now);
  const first = await caller.auth.login.password({ email: user.email, password: BENCH_PASSWORD, deviceId: null });
  if (first.step !== 'second_factor') throw new Error(`login: expected the second-factor step, got ${first.step}`);
  const result = await caller.auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(user.totpSecret, clock.now()) });
  // Each login uses up a time step; move past it so the next code is fresh.
  clock.advance(30_000);
  return result.token;
}
