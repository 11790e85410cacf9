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
