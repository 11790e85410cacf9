import { z } from 'zod';
import { calendarDate, text } from './schema-primitives';

/**
 * JRN-4: the documented deletion decision (helsepersonelloven §§ 43–44). Shared by the procedure
 * and the renderer's form; messages are translation keys.
 */

/** § 43 first paragraph: the data are wrong or misleading (and a burden), or obviously not necessary. */
export const DELETION_GROUNDS = ['incorrect_or_misleading', 'not_necessary'] as const;
export type DeletionGround = (typeof DELETION_GROUNDS)[number];

/** § 43: in consultation with the author where possible; otherwise why not. */
export const AUTHOR_CONSULTATIONS = ['consulted', 'author_is_decider', 'author_no_longer_employed', 'author_unavailable'] as const;
export type AuthorConsultation = (typeof AUTHOR_CONSULTATIONS)[number];

/** Long enough to say why; the form asks not to repeat what the note said. */
export const DELETION_REASON_MIN_LENGTH = 20;
export const DELETION_REASON_MAX_LENGTH = 2000;

export const noteDeletionSchema = z
  .object({
    noteId: z.uuid('validation.id'),
    legalGround: z.enum(DELETION_GROUNDS, 'validation.deletion_ground'),
    // Both cumulative conditions must be confirmed, each on its own.
    isHarmlessForGeneralInterests: z.literal(true, 'validation.deletion_condition'),
    isCompatibleWithArchiveLaw: z.literal(true, 'validation.deletion_condition'),
    /** When the patient asked (yyyy-mm-dd); not in the future (checked again by the server against its clock). */
    requestedAt: calendarDate({ latest: 'today' }),
    authorConsultation: z.enum(AUTHOR_CONSULTATIONS, 'validation.required'),
    reason: text({ min: DELETION_REASON_MIN_LENGTH, minMessage: 'validation.deletion_reason_short', max: DELETION_REASON_MAX_LENGTH, multiline: true }),
  })
  .strict();
export type NoteDeletionInput = z.input<typeof noteDeletionSchema>;
