import { z } from 'zod';
import { osloCalendarDate } from './oslo-time';

/**
 * The building blocks of every procedure's input schema (PLAT-6): text, calendar dates, instants
 * and sequence ids that PostgreSQL can hold and that mean what they say. Shared with the
 * renderer's forms, so a form refuses what the server would. Messages are translation keys.
 *
 * Why: PostgreSQL has no year 0 and refuses NUL in text, and a lone UTF-16 surrogate is silently
 * stored as U+FFFD, so a signed note's text would no longer match its hash (JRN-3). Each of those
 * reached the database as a 500 or as altered data before these existed.
 */

export const PRIMITIVE_MESSAGES = {
  textMalformed: 'validation.text_malformed',
  textControl: 'validation.text_control',
  date: 'validation.date',
  dateTooEarly: 'validation.date_too_early',
  dateTooLate: 'validation.date_too_late',
  dateInFuture: 'validation.date_in_future',
  id: 'validation.id',
  required: 'validation.required',
  tooLong: 'validation.too_long',
} as const;

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** C0 and C1 control characters (NUL included: PostgreSQL text cannot hold it). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
/** The same, but tab and line breaks are allowed in text that may span lines (notes, reasons). */
// eslint-disable-next-line no-control-regex -- as above
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/**
 * Is this well-formed Unicode (no lone surrogate)? The same test as `String.prototype.isWellFormed`,
 * written out so it also runs where that method is missing.
 */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

export interface TextOptions {
  max: number;
  /** At least this many characters (after trimming); with its own message when given. */
  min?: number;
  minMessage?: string;
  maxMessage?: string;
  /** Tab and line breaks allowed (notes, reasons, addresses); other control characters never. */
  multiline?: boolean;
  /** Trim surrounding whitespace (default). A note's body is kept exactly as written: it is signed. */
  trim?: boolean;
}

/**
 * Text for a field: well-formed Unicode, no control characters (NUL included), bounded length.
 * The character checks stop the field's checks, so a broken character gets one clear message.
 */
export function text(options: TextOptions) {
  const control = options.multiline ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL;
  let schema = z
    .string()
    .refine(isWellFormedText, { message: PRIMITIVE_MESSAGES.textMalformed, abort: true })
    .refine((value) => !control.test(value), { message: PRIMITIVE_MESSAGES.textControl, abort: true });
  if (options.trim !== false) schema = schema.trim();
  if (options.min !== undefined) schema = schema.min(options.min, options.minMessage ?? PRIMITIVE_MESSAGES.required);
  return schema.max(options.max, options.maxMessage ?? PRIMITIVE_MESSAGES.tooLong);
}

/** Optional text: an empty field is null. */
export function optionalText(options: Omit<TextOptions, 'min' | 'minMessage'>) {
  return text(options)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .default(null);
}

/**
 * Paths (dotted, as field errors name fields) of every string in a JSON-like value that is not
 * well-formed Unicode; a malformed object key is reported at its object. Walks without recursion,
 * so deeply nested input cannot overflow the stack, and stops after `limit` findings.
 */
export function malformedTextPaths(value: unknown, limit = 20): string[] {
  const found: string[] = [];
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0 && found.length < limit) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current === 'string') {
      if (!isWellFormedText(current)) found.push(path);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--) stack.push([current[index], path ? `${path}.${index}` : String(index)]);
    } else if (typeof current === 'object' && current !== null) {
      const entries = Object.entries(current);
      if (entries.some(([key]) => !isWellFormedText(key))) found.push(path);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index] as [string, unknown];
        if (isWellFormedText(key)) stack.push([child, path ? `${path}.${key}` : key]);
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// Calendar dates (yyyy-mm-dd, no time zone)
// ---------------------------------------------------------------------------------------------

/**
 * No calendar date in this product lies before 1900: nobody living was born earlier, and no
 * journal this product keeps was written earlier. Far above PostgreSQL's own limits (no year 0).
 */
export const EARLIEST_CALENDAR_DATE = '1900-01-01';

export interface CalendarDateOptions {
  /** yyyy-mm-dd; default 1900-01-01. */
  earliest?: string;
  /** 'today' (Oslo): not in the future. Otherwise at most so many years after today (default 10). */
  latest?: 'today' | { yearsAhead: number };
  /** The clock (tests); the wall clock by default. */
  now?: () => Date;
}

function yearsAfter(isoDate: string, years: number): string {
  const year = Number(isoDate.slice(0, 4)) + years;
  return `${String(year).padStart(4, '0')}${isoDate.slice(4)}`;
}

/** A calendar date as yyyy-mm-dd, real (no 30 February) and within a sensible range. */
export function calendarDate(options: CalendarDateOptions = {}) {
  const earliest = options.earliest ?? EARLIEST_CALENDAR_DATE;
  const latest = options.latest ?? { yearsAhead: 10 };
  const now = options.now ?? (() => new Date());
  const latestDate = () => (latest === 'today' ? osloCalendarDate(now()) : yearsAfter(osloCalendarDate(now()), latest.yearsAhead));
  // yyyy-mm-dd with a four-digit year compares as text in calendar order.
  return z.iso
    .date({ error: PRIMITIVE_MESSAGES.date, abort: true })
    .refine((value) => value >= earliest, { message: PRIMITIVE_MESSAGES.dateTooEarly, abort: true })
    .refine((value) => value <= latestDate(), { message: latest === 'today' ? PRIMITIVE_MESSAGES.dateInFuture : PRIMITIVE_MESSAGES.dateTooLate });
}

// ---------------------------------------------------------------------------------------------
// Instants (a date and time with its offset)
// ---------------------------------------------------------------------------------------------

/** No event this product records (consent, a block's request, a share's end) predates 1970. */
export const EARLIEST_INSTANT = '1970-01-01T00:00:00Z';

export interface InstantOptions {
  /** ISO date-time; default 1970-01-01T00:00:00Z. */
  earliest?: string;
  /**
   * 'now': something that has happened, not in the future (with a day's slack for clocks and time
   * zones; the service checks against its own clock). Otherwise at most so many years ahead, for an
   * end date. Default 10 years.
   */
  latest?: 'now' | { years: number };
  /** The clock (tests); the wall clock by default. */
  now?: () => Date;
}

const DAY_MS = 86_400_000;

/**
 * A date and time with an offset (2026-11-22T10:00:00+01:00 or …Z), within a sensible range.
 * Stays a string: callers turn it into a Date where they need one.
 */
export function instant(options: InstantOptions = {}) {
  const earliest = Date.parse(options.earliest ?? EARLIEST_INSTANT);
  const latest = options.latest ?? { years: 10 };
  const now = options.now ?? (() => new Date());
  const latestMs = () => now().getTime() + (latest === 'now' ? DAY_MS : latest.years * 365.25 * DAY_MS);
  return z.iso
    .datetime({ offset: true, error: PRIMITIVE_MESSAGES.date, abort: true })
    .refine((value) => Date.parse(value) >= earliest, { message: PRIMITIVE_MESSAGES.dateTooEarly, abort: true })
    .refine((value) => Date.parse(value) <= latestMs(), { message: latest === 'now' ? PRIMITIVE_MESSAGES.dateInFuture : PRIMITIVE_MESSAGES.dateTooLate });
}

// ---------------------------------------------------------------------------------------------
// Ids
// ---------------------------------------------------------------------------------------------

const BIGINT_MAX = 9_223_372_036_854_775_807n;

/** A positive id of a bigint sequence (audit events), as decimal text: at most PostgreSQL's bigint. */
export function sequenceId() {
  return z
    .string()
    .regex(/^\d{1,19}$/, { message: PRIMITIVE_MESSAGES.id, abort: true })
    .refine((value) => BigInt(value) <= BIGINT_MAX, PRIMITIVE_MESSAGES.id);
}
