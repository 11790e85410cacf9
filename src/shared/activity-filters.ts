import { z } from 'zod';
import { calendarDate, sequenceId } from './schema-primitives';

/**
 * AUD-7 "Min aktivitet": the groups a user can narrow their own events to. A group is the first
 * part of an audit action's name (`journal.note.signed` → `journal`), so a new action joins its
 * group without a change here.
 */
export const ACTIVITY_ACTION_GROUPS = ['auth', 'patient', 'journal', 'access', 'sharing', 'admin', 'audit'] as const;
export type ActivityActionGroup = (typeof ACTIVITY_ACTION_GROUPS)[number];

export const ACTIVITY_PAGE_SIZE_MAX = 200;

export const activityQuerySchema = z
  .object({
    /** Keyset pagination: events older than this id (never OFFSET). */
    before: sequenceId().optional(),
    limit: z.number().int().min(1).max(ACTIVITY_PAGE_SIZE_MAX).default(50),
    /** First and last day shown, Oslo calendar dates, both included. */
    from: calendarDate({ latest: 'today' }).optional(),
    to: calendarDate({ latest: 'today' }).optional(),
    actionGroup: z.enum(ACTIVITY_ACTION_GROUPS, 'validation.invalid_value').optional(),
  })
  .strict()
  .refine((query) => query.from === undefined || query.to === undefined || query.from <= query.to, { message: 'validation.period_reversed', path: ['to'] });
export type ActivityQuery = z.output<typeof activityQuerySchema>;
