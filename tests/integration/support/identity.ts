import { expect } from 'vitest';
import type { Role } from '../../../src/shared/roles';
import { hashPassword } from '../../../src/server/auth/password';
import { encryptTotpSecret, issueRecoveryCodes } from '../../../src/server/auth/second-factor';
import { newTotpSecret, totpCodeAt } from '../../../src/server/auth/totp';
import type { Database } from '../../../src/server/db/database';
import { insertOrganisation } from '../../../src/server/organisation/repository';
import type { TestDatabase } from './test-database';
import { createTestCaller, testSecretBox } from './test-server';

export const TEST_PASSWORD = 'korrekt-hest-batteri-stift';

/** A controllable server clock: tests move time instead of sleeping. */
export class TestClock {
  constructor(private current = new Date('2026-11-22T09:00:00.000Z')) {}
  now = (): Date => new Date(this.current);
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(at: Date): void {
    this.current = new Date(at);
  }
}

export interface TestUser {
  id: string;
  organisationId: string;
  email: string;
  totpSecret: string;
  recoveryCodes: string[];
  roles: Role[];
}

let sequence = 0;

export async function createOrganisation(db: Database, name = `Klinikk ${++sequence}`) {
  return insertOrganisation(db, { name, organisationNumber: null, isDemo: false });
}

/** An active, enrolled user made directly in the database (the invitation flow has its own tests). */
export async function createUser(
  db: Database,
  organisationId: string,
  options: { roles?: Role[]; email?: string; displayName?: string; profession?: string | null } = {},
): Promise<TestUser> {
  const email = options.email ?? `user${++sequence}-${Math.random().toString(36).slice(2, 8)}@test.example`;
  const roles = options.roles ?? ['clinician'];
  const totpSecret = newTotpSecret();
  const user = await db
    .insertInto('app_user')
    .values({
      organisation_id: organisationId,
      email,
      display_name: options.displayName ?? `Test ${email}`,
      phone: '+4799999999',
      profession: options.profession ?? (roles.includes('clinician') ? 'lege' : null),
      hpr_number: roles.includes('clinician') ? '1234567' : null,
      status: 'active',
      password_hash: await hashPassword(TEST_PASSWORD),
      totp_secret_encrypted: null,
      totp_enrolled_at: new Date('2026-01-01T00:00:00Z'),
      locked_until: null,
      last_login_at: null,
    })
    .returning(['id', 'organisation_id'])
    .executeTakeFirstOrThrow();
  await db
    .updateTable('app_user')
    .set({ totp_secret_encrypted: encryptTotpSecret(testSecretBox, user.id, totpSecret) })
    .where('id', '=', user.id)
    .execute();
  await db
    .insertInto('role_grant')
    .values(roles.map((role) => ({ organisation_id: organisationId, user_id: user.id, role, granted_by: null, revoked_at: null, revoked_by: null })))
    .execute();
  const recoveryCodes = await db.transaction().execute((trx) => issueRecoveryCodes(trx, user, new Date()));
  return { id: user.id, organisationId, email, totpSecret, recoveryCodes, roles };
}

/** Logs in through the real procedures (password, then a TOTP computed for the clock's time). */
export async function login(
  database: TestDatabase,
  user: TestUser,
  clock: TestClock,
  options: { deviceId?: string | null } = {},
): Promise<{ token: string; isNewDevice: boolean }> {
  const caller = createTestCaller(database, { now: clock.now });
  const first = await caller.auth.login.password({ email: user.email, password: TEST_PASSWORD, deviceId: options.deviceId ?? null });
  expect(first.step).toBe('second_factor');
  const result = await caller.auth.login.secondFactor({ ticket: first.ticket, code: await totpCodeAt(user.totpSecret, clock.now()) });
  // Each test login uses up a time step; move past it so the next code is fresh.
  clock.advance(30_000);
  return { token: result.token, isNewDevice: result.isNewDevice };
}

/** A caller acting with a session token, as the app does with its bearer header. */
export function callerAs(database: TestDatabase, token: string, clock: TestClock, extra: { clientIp?: string; deviceId?: string } = {}) {
  return createTestCaller(database, { now: clock.now }, { bearerToken: token, ...extra });
}

export async function eventsOf(db: Database, filter: { action?: string; userId?: string } = {}) {
  return db
    .selectFrom('audit_event')
    .selectAll()
    .$if(filter.action !== undefined, (query) => query.where('action', '=', filter.action as string))
    .$if(filter.userId !== undefined, (query) => query.where('user_id', '=', filter.userId as string))
    .orderBy('id')
    .execute();
}
