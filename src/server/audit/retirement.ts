import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database, Executor } from '../db/database';
import { runAuditedUnit, systemActor } from './unit-of-work';
import { appendRetirementsToWitness } from './witness';

/**
 * Audit events are kept ten years (DPO-6, AUD-5); then their month leaves the log whole. The rule,
 * the checks and the drop live in the database (migrations/2026-12-08T16-00_audit_retirement.ts):
 * the application role cannot delete or drop audit data, it can only ask the owner's function to
 * retire what is due, and that function decides what is due from its own clock.
 */
export const AUDIT_RETENTION_YEARS = 10;
const RETIREMENT_JOB = 'audit-retirement';

/** Why a month past ten years is still kept (the database function's codes). */
export const RETIREMENT_HOLDS = ['events_outside_partitions', 'events_unsealed', 'seal_spans_live_month', 'events_do_not_match_seals'] as const;
export type RetirementHold = (typeof RETIREMENT_HOLDS)[number];

export interface PlannedMonth {
  /** 'yyyy-mm' (the partition's UTC month). */
  month: string;
  rangeFrom: Date;
  rangeTo: Date;
  willRetire: boolean;
  heldBecause: RetirementHold | null;
}

export interface RetirementPlan {
  /** Ten years back (Oslo calendar) from the earlier of the caller's clock and the database's. */
  cutoff: Date | null;
  /** Every event before this instant goes in the next run; null when nothing goes. */
  retireBefore: Date | null;
  /** The months past ten years, oldest first: those that go and those kept, with why. */
  months: PlannedMonth[];
}

const isHold = (value: string | null): value is RetirementHold => value !== null && (RETIREMENT_HOLDS as readonly string[]).includes(value);

/** What the next run would retire, read only (the same database function the run judges with). */
export async function planAuditRetirement(db: Executor, now: Date): Promise<RetirementPlan> {
  const { rows } = await sql<{ month: string; range_from: Date; range_to: Date; will_retire: boolean; held_because: string | null; cutoff: Date }>`
    select month::text as month, range_from, range_to, will_retire, held_because, cutoff
      from audit_retirement_plan(${now})`.execute(db);
  const months = rows.map((row) => ({
    month: row.month.slice(0, 7),
    rangeFrom: new Date(row.range_from),
    rangeTo: new Date(row.range_to),
    willRetire: row.will_retire,
    heldBecause: isHold(row.held_because) ? row.held_because : null,
  }));
  const retiring = months.filter((month) => month.willRetire);
  return { cutoff: rows[0] ? new Date(rows[0].cutoff) : null, retireBefore: retiring.at(-1)?.rangeTo ?? null, months };
}

export interface RetiredMonth {
  month: string;
  events: number;
  firstSealSeq: string | null;
  lastSealSeq: string | null;
  /** Hex of the last seal's hash that held the month's events: the chain at that point. */
  chainHash: string | null;
  byOrganisation: { organisationId: string | null; count: number }[];
}

/**
 * Retires every month of the audit log whose whole range lies more than ten years back (DPO-6):
 * the database function detaches and drops those partitions and records each in audit_retirement;
 * this writes, in the same transaction, one `audit.partition_retired` event for the installation
 * (the seals and the chain hash) and one per organisation with its own count. One run at a time
 * across instances (the function's advisory lock; a second run finds nothing or skips). A run with
 * nothing due writes nothing: it is a daily look, like making the months ahead.
 *
 * With the seal witness (the sealer's file, ADR 0007) each month that had events gets its line there
 * before the drop commits; `audit:verify` with the witness then holds every record against it, so a
 * record inserted by the database's owner to excuse deleted events is named (ADR 0003).
 */
export async function retireExpiredAuditMonths(
  db: Database,
  options: { now: Date; runId?: string; witnessPath?: string | undefined },
): Promise<{ runId: string; retired: RetiredMonth[] }> {
  const runId = options.runId ?? randomUUID();
  const plan = await planAuditRetirement(db, options.now);
  if (plan.retireBefore === null) return { runId, retired: [] };
  const retired = await runAuditedUnit(
    {
      db,
      actor: systemActor(null, RETIREMENT_JOB),
      actions: ['audit.partition_retired'],
      mode: 'write',
      now: options.now,
      clientIp: undefined,
      origin: `job:${RETIREMENT_JOB}`,
      isEventRequired: false,
    },
    async ({ trx, audit }) => {
      const { rows } = await sql<{
        month: string;
        event_count: string;
        first_seal_seq: string | null;
        last_seal_seq: string | null;
        chain_hash: Buffer | null;
        events_by_organisation: { organisationId: string | null; count: number }[];
        cutoff: Date;
      }>`
        select month::text as month, event_count::text as event_count, first_seal_seq::text as first_seal_seq,
               last_seal_seq::text as last_seal_seq, chain_hash, events_by_organisation, cutoff
          from audit_retire_partitions(${options.now}, ${runId}::uuid)`.execute(trx);
      const months = rows.map(
        (row): RetiredMonth => ({
          month: row.month.slice(0, 7),
          events: Number(row.event_count),
          firstSealSeq: row.first_seal_seq,
          lastSealSeq: row.last_seal_seq,
          chainHash: row.chain_hash ? Buffer.from(row.chain_hash).toString('hex') : null,
          byOrganisation: row.events_by_organisation,
        }),
      );
      if (options.witnessPath) {
        // Written ahead of the commit: should the commit fail, the line names a month still in the log, which nothing reads as wrong.
        const witnessed = months.flatMap((month) =>
          month.firstSealSeq !== null && month.lastSealSeq !== null && month.chainHash !== null
            ? [{ month: month.month, firstSeq: month.firstSealSeq, lastSeq: month.lastSealSeq, chainHash: month.chainHash, events: month.events }]
            : [],
        );
        await appendRetirementsToWitness(options.witnessPath, witnessed, options.now);
      }
      for (const [index, month] of months.entries()) {
        const cutoff = new Date(rows[index]?.cutoff ?? options.now).toISOString();
        audit.record({
          objectType: 'audit_partition',
          objectId: month.month,
          details: { month: month.month, events: month.events, firstSealSeq: month.firstSealSeq, lastSealSeq: month.lastSealSeq, chainHash: month.chainHash, cutoff, runId },
        });
        // Each organisation's DPO finds, in its own log, how many of its events went.
        for (const share of month.byOrganisation) {
          if (share.organisationId === null) continue;
          audit.record({
            actor: systemActor(share.organisationId, RETIREMENT_JOB),
            objectType: 'audit_partition',
            objectId: month.month,
            details: { month: month.month, events: share.count, runId },
          });
        }
      }
      return months;
    },
  );
  return { runId, retired };
}

export interface AuditLogRetentionView {
  /** The organisation's events the next run would remove, and the oldest of them. */
  due: number;
  oldestDueAt: string | null;
  /** Ten years back: months whose range ended before it are due. */
  cutoff: string | null;
  /** Months past ten years that are kept for now, and why (installation-wide). */
  held: { month: string; reason: RetirementHold | null }[];
  /** The latest months retired, with how many of the organisation's events went. */
  retired: { month: string; events: number; retiredAt: string }[];
}

/** How many retired months the DPO's page lists. */
const RETIRED_SHOWN = 12;

/**
 * DPO-6: the audit log's part of the retention page, for one organisation: what the next run
 * would remove of its events (counts only), which months past ten years are kept and why, and
 * what earlier runs removed.
 */
export async function describeAuditLogRetention(trx: Executor, options: { now: Date; organisationId: string }): Promise<AuditLogRetentionView> {
  const plan = await planAuditRetirement(trx, options.now);
  let due = 0;
  let oldestDueAt: string | null = null;
  if (plan.retireBefore) {
    const { rows } = await sql<{ count: string; oldest: Date | null }>`
      select count(*)::text as count, min(occurred_at) as oldest from audit_event
       where organisation_id = ${options.organisationId} and occurred_at < ${plan.retireBefore}`.execute(trx);
    due = Number(rows[0]?.count ?? 0);
    oldestDueAt = rows[0]?.oldest ? new Date(rows[0].oldest).toISOString() : null;
  }
  const { rows: retired } = await sql<{ month: string; events: string | null; retired_at: Date }>`
    select r.month::text as month, r.retired_at,
           (select sum((share ->> 'count')::bigint) from jsonb_array_elements(r.events_by_organisation) as share
             where share ->> 'organisationId' = ${options.organisationId})::text as events
      from audit_retirement as r
     order by r.month desc, r.id desc
     limit ${RETIRED_SHOWN}`.execute(trx);
  return {
    due,
    oldestDueAt,
    cutoff: plan.cutoff?.toISOString() ?? null,
    held: plan.months.filter((month) => !month.willRetire).map((month) => ({ month: month.month, reason: month.heldBecause })),
    retired: retired.map((row) => ({ month: row.month.slice(0, 7), events: Number(row.events ?? 0), retiredAt: new Date(row.retired_at).toISOString() })),
  };
}
