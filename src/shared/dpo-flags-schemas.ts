import { z } from 'zod';
import { calendarDate, text } from './schema-primitives';

/**
 * Flags for retrospective control (DPO-2): the inputs of every dpo.flags.* procedure, shared with
 * the renderer so the closing form refuses what the server would. Messages are translation keys.
 * No unions (the fuzz test derives inputs from these).
 */
export const FLAG_RULE_CODES = ['break_glass', 'no_relationship', 'own_record', 'same_surname', 'outside_hours', 'unusual_volume', 'after_relationship_ended'] as const;
export type FlagRuleCode = (typeof FLAG_RULE_CODES)[number];
export const FLAG_STATUSES = ['open', 'closed'] as const;
/** What the list shows: open flags, closed ones (with how, by whom and when), or both. */
export const FLAG_LIST_STATUSES = ['open', 'closed', 'all'] as const;
export type FlagListStatus = (typeof FLAG_LIST_STATUSES)[number];
export const FLAG_OUTCOMES = ['justified', 'followed_up'] as const;
export type FlagOutcomeCode = (typeof FLAG_OUTCOMES)[number];

/** The dashboard's trend: this many ISO weeks, the current one last. */
export const FLAG_TREND_WEEKS = 12;
export const FLAG_PAGE_SIZE_MAX = 200;
export const FLAG_COMMENT_MAX = 2000;

const uuid = z.uuid('validation.id');
/** The page cursor the server handed out: opaque to the client. */
const cursor = z.string().max(100, 'validation.invalid_value').regex(/^[A-Za-z0-9_-]+$/, 'validation.invalid_value');
const expectedVersion = z.number('validation.required').int().min(1);

export const flagListSchema = z
  .object({
    rule: z.enum(FLAG_RULE_CODES, 'validation.required').optional(),
    status: z.enum(FLAG_LIST_STATUSES, 'validation.required').default('open'),
    /** Oslo calendar days, both included. */
    from: calendarDate().optional(),
    to: calendarDate().optional(),
    /** Keyset: the `nextCursor` of the previous page (newest event first, the flag's id breaking ties). */
    cursor: cursor.optional(),
    /** Sent by tRPC's infinite queries with every page; the order is fixed, so this is ignored. */
    direction: z.enum(['forward', 'backward'], 'validation.invalid_value').optional(),
    limit: z.number('validation.required').int().min(1).max(FLAG_PAGE_SIZE_MAX).default(50),
  })
  .strict();
export type FlagListInput = z.input<typeof flagListSchema>;

export const closeFlagSchema = z
  .object({
    flagId: uuid,
    outcome: z.enum(FLAG_OUTCOMES, 'validation.required'),
    comment: text({ min: 1, max: FLAG_COMMENT_MAX, multiline: true }),
    expectedVersion,
  })
  .strict();
export type CloseFlagInput = z.input<typeof closeFlagSchema>;

export const reopenFlagSchema = z.object({ flagId: uuid, expectedVersion }).strict();
