/**
 * The deadline of a data-subject request (GDPR art. 12(3), DPO-4): one calendar month from receipt —
 * the same day of the next month, or that month's last day when it has no such day (31 January →
 * 28 or 29 February) — extended once by up to two further months, counted the same way from the
 * deadline. Dates are Oslo calendar days as 'YYYY-MM-DD'; no clock, no time zone arithmetic.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one (month is 1-based here, 0-based for Date).
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** `date` plus `months` calendar months, clamped to the target month's last day. */
export function addCalendarMonths(date: string, months: number): string {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`not a date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const monthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = (monthIndex % 12) + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return `${String(targetYear).padStart(4, '0')}-${String(targetMonth).padStart(2, '0')}-${String(targetDay).padStart(2, '0')}`;
}

/** The first deadline: one calendar month from the day the request was received. */
export function dsrDeadline(receivedOn: string): string {
  return addCalendarMonths(receivedOn, 1);
}

/** The most a deadline may be extended (art. 12(3): "by two further months"). */
export const DSR_MAX_EXTENSION_MONTHS = 2;

/** The extended deadline: `months` (1 or 2) further calendar months from the original deadline, month ends clamped. */
export function extendedDsrDeadline(deadline: string, months: number): string {
  if (!Number.isInteger(months) || months < 1 || months > DSR_MAX_EXTENSION_MONTHS) throw new RangeError(`an extension is 1 to ${DSR_MAX_EXTENSION_MONTHS} months`);
  return addCalendarMonths(deadline, months);
}

/**
 * May the deadline still be extended on `today`? Only within the first month: the person must be
 * told of the extension before the original deadline has passed (art. 12(3)); the deadline day itself counts.
 */
export function isDsrExtensionAllowed(deadline: string, today: string): boolean {
  return today <= deadline;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: string, to: string): number {
  const day = (date: string) => {
    const match = ISO_DATE.exec(date);
    if (!match) throw new RangeError(`not a date: ${date}`);
    return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
  };
  return day(to) - day(from);
}

export type DsrUrgency = 'overdue' | 'due_soon' | 'on_time' | 'closed';

/** How pressing a case is on `today`: past its deadline, due within `soonDays` days (the deadline day included), or on time. */
export function dsrUrgency(effectiveDeadline: string, today: string, isClosed: boolean, soonDays = 7): DsrUrgency {
  if (isClosed) return 'closed';
  const daysLeft = calendarDaysBetween(today, effectiveDeadline);
  if (daysLeft < 0) return 'overdue';
  return daysLeft <= soonDays ? 'due_soon' : 'on_time';
}
