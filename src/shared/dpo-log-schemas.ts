import { z } from 'zod';
import { calendarDate, sequenceId, text } from './schema-primitives';

/**
 * The DPO's log review (DPO-1) and integrity check (DPO-8): the inputs of every dpo.log.* and
 * dpo.integrity.* procedure, shared with the renderer so a form refuses what the server would.
 * Messages are translation keys (validation.*). No unions (the fuzz test derives inputs from these).
 */

export const LOG_PAGE_SIZE_MAX = 200;
export const LOG_REVIEW_BATCH_MAX = 200;
export const LOG_REVIEW_COMMENT_MAX = 2000;
/** The context of an event: the same user's events this close in time, at most this many each side. */
export const LOG_CONTEXT_MINUTES = 30;
export const LOG_CONTEXT_EVENTS = 50;

export const LOG_OUTCOMES = ['allowed', 'denied'] as const;
export const LOG_REVIEW_STATES = ['reviewed', 'not_reviewed'] as const;
export const LOG_ORDERS = ['desc', 'asc'] as const;

const uuid = z.uuid({ error: 'validation.id' });
/** An audit action (`journal.note.signed`) or the group it starts with (`journal`, `dpo.log`). */
const actionCode = z.string().max(100, 'validation.too_long').regex(/^[a-z][a-z_]*(\.[a-z][a-z_]*)*$/, 'validation.invalid_value');
/** An access basis code (`treatment_relationship`, `break_glass` …). */
const basisCode = z.string().max(50, 'validation.too_long').regex(/^[a-z][a-z_]*$/, 'validation.invalid_value');
/** The page cursor the server handed out: opaque to the client. */
const cursor = z.string().max(100, 'validation.invalid_value').regex(/^[A-Za-z0-9_-]+$/, 'validation.invalid_value');

export const logSearchSchema = z
  .object({
    patientId: uuid.optional(),
    userId: uuid.optional(),
    action: actionCode.optional(),
    basis: basisCode.optional(),
    outcome: z.enum(LOG_OUTCOMES, 'validation.invalid_value').optional(),
    reviewed: z.enum(LOG_REVIEW_STATES, 'validation.invalid_value').optional(),
    /** First and last day, Oslo calendar days, both included. Required: a search is over a period. */
    from: calendarDate({ latest: 'today' }),
    to: calendarDate({ latest: 'today' }),
    order: z.enum(LOG_ORDERS, 'validation.invalid_value').default('desc'),
    limit: z.number().int().min(1).max(LOG_PAGE_SIZE_MAX).default(100),
    cursor: cursor.optional(),
    /** Sent by tRPC's infinite queries with every page; the order is `order`, so this is ignored. */
    direction: z.enum(['forward', 'backward'], 'validation.invalid_value').optional(),
  })
  .strict()
  .refine((query) => query.from <= query.to, { message: 'validation.period_reversed', path: ['to'] });
export type LogSearchInput = z.input<typeof logSearchSchema>;

export const logContextSchema = z.object({ eventId: sequenceId() }).strict();

export const markReviewedSchema = z
  .object({
    eventIds: z
      .array(sequenceId())
      .min(1, 'validation.required')
      .max(LOG_REVIEW_BATCH_MAX, 'validation.invalid_value')
      .refine((ids) => new Set(ids).size === ids.length, 'validation.invalid_value'),
    comment: text({ min: 1, max: LOG_REVIEW_COMMENT_MAX, multiline: true }),
  })
  .strict();

/** The DPO finds a patient by fødselsnummer (11 digits) or by name. */
export const findPatientSchema = z.object({ query: text({ min: 2, max: 100 }) }).strict();

export const integrityRunSchema = z.object({ jobId: z.string().regex(/^\d{1,19}$/, 'validation.id') }).strict();
