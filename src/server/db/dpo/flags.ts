import type { ColumnType, Generated } from 'kysely';

/** Flags for retrospective control (DPO-2): migrations/2026-12-08T11-00_dpo_flags.ts */
export const FLAG_RULES = ['break_glass', 'no_relationship', 'own_record', 'same_surname', 'outside_hours', 'unusual_volume', 'after_relationship_ended'] as const;
export type FlagRule = (typeof FLAG_RULES)[number];
export type FlagStatus = 'open' | 'closed';
export type FlagOutcome = 'justified' | 'followed_up';

export interface AuditFlagTable {
  id: Generated<string>;
  organisation_id: string;
  rule: FlagRule;
  /** bigint: read as text. */
  event_id: ColumnType<string, string | number, never>;
  user_id: string;
  patient_id: string;
  occurred_at: Date;
  raised_at: Date;
  status: Generated<FlagStatus>;
  outcome: FlagOutcome | null;
  closed_by: string | null;
  closed_at: Date | null;
  comment: string | null;
  version: Generated<number>;
}

export interface AuditFlagWatermarkTable {
  id: Generated<boolean>;
  last_txid: ColumnType<string, never, string>;
  last_event_id: ColumnType<string, never, string>;
  updated_at: Generated<Date>;
}

export interface DpoFlagTables {
  audit_flag: AuditFlagTable;
  audit_flag_watermark: AuditFlagWatermarkTable;
}
