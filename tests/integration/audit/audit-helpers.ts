import { TRPCError } from '@trpc/server';
import { type RawBuilder, sql } from 'kysely';
import { expect } from 'vitest';
import { sealPendingEvents } from '../../../src/server/audit/seal';
import { type VerifyReport, verifyAuditLog } from '../../../src/server/audit/verify';
import type { Database } from '../../../src/server/db/database';
import { fieldErrorsOf } from '../../../src/server/errors';
import type { FieldError } from '../../../src/shared/api-errors';
import type { TestDatabase } from '../support/test-database';

/** The error a call rejects with (fails the test if it resolves). */
export async function errorOf(call: Promise<unknown> | (() => Promise<unknown>)): Promise<TRPCError> {
  try {
    await (typeof call === 'function' ? call() : call);
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return error as TRPCError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/** The coded field errors of a BAD_REQUEST, as the client would get them. */
export function fieldErrorsFrom(error: TRPCError): FieldError[] {
  expect(error.code).toBe('BAD_REQUEST');
  const fieldErrors = fieldErrorsOf(error);
  expect(fieldErrors, 'a BAD_REQUEST without field errors').toBeDefined();
  return fieldErrors ?? [];
}

/**
 * Seals until nothing is pending. On a shared PostgreSQL server the sealer's horizon is the oldest
 * transaction still running anywhere in the cluster (other test files included), so one run may
 * leave recent events for the next; the background job simply runs again, and so does this.
 * With a witness file, every seal is appended to it, as the backend's sealer does (ADR 0007).
 */
export async function sealEverything(db: Database, options: { witnessPath?: string } = {}): Promise<VerifyReport> {
  for (let attempt = 0; attempt < 200; attempt++) {
    await sealPendingEvents(db, options);
    const report = await verifyAuditLog(db, options);
    if (!report.isIntact || report.pendingEvents === 0) return report;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('sealEverything: events stayed pending');
}

export async function eventCount(db: Database): Promise<number> {
  const row = await db.selectFrom('audit_event').select(sql<string>`count(*)::text`.as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface SealRow {
  seq: string;
  txid_from: string;
  txid_to: string;
  event_count: number;
  event_ids: string[];
}

export async function sealsOf(db: Database): Promise<SealRow[]> {
  const { rows } = await sql<SealRow>`
    select seq::text, txid_from::text, txid_to::text, event_count, event_ids::text[] as event_ids
      from audit_seal order by audit_seal.seq`.execute(db);
  return rows;
}

/** Event ids with their txid, in id order. */
export async function eventIdsOf(db: Database): Promise<{ id: string; txid: string; action: string }[]> {
  const { rows } = await sql<{ id: string; txid: string; action: string }>`
    select id::text, txid::text, action from audit_event order by audit_event.id`.execute(db);
  return rows;
}

/**
 * Tampers with an audit table as its owner would: the append-only trigger disabled for the one
 * statement, in one transaction, and enabled again before it commits.
 */
export async function tamper(database: TestDatabase, table: 'audit_event' | 'audit_seal', statement: RawBuilder<unknown>): Promise<void> {
  await database.asOwner((owner) =>
    owner.transaction().execute(async (trx) => {
      await sql`alter table ${sql.id(table)} disable trigger ${sql.id(`${table}_append_only`)}`.execute(trx);
      await statement.execute(trx);
      await sql`alter table ${sql.id(table)} enable trigger ${sql.id(`${table}_append_only`)}`.execute(trx);
    }),
  );
}
