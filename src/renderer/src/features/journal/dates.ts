/**
 * Dates as the user types them (PLAT-4: dd.mm.yyyy, 24-hour hh:mm, Europe/Oslo) and as the server
 * takes them (yyyy-mm-dd calendar dates, ISO instants). Pure functions, no React.
 */
import { osloWallClock } from '../../../../shared/oslo-time';

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "15.07.1965" (or 15.7.1965) → "1965-07-15"; anything else, or a day that does not exist, → null. */
export function parseDateInput(text: string): string | null {
  const match = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(text.trim());
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return isCalendarDate(year, month, day) ? `${pad(year, 4)}-${pad(month)}-${pad(day)}` : null;
}

/** "14:05" (or 9:05) → "14:05"; anything else → null. */
export function parseTimeInput(text: string): string | null {
  const match = /^(\d{1,2})[:.](\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  return hour <= 23 && minute <= 59 ? `${pad(hour)}:${pad(minute)}` : null;
}

/** Today's date in Oslo, yyyy-mm-dd. */
export function osloToday(now: Date = new Date()): string {
  const p = osloWallClock(now);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The time of day in Oslo, hh:mm. */
export function osloTimeOfDay(now: Date = new Date()): string {
  const p = osloWallClock(now);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** yyyy-mm-dd → dd.mm.yyyy, for filling an input. */
export function toDateInput(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

// Shared with the server (consultations are booked and listed by Oslo days, JRN-6).
export { addDays, osloInstant } from '../../../../shared/oslo-time';

/** Whole years of age on a date (both yyyy-mm-dd); a 29 February birthday counts from 1 March in other years. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [birthYear, birthMonthDay] = [Number(dateOfBirth.slice(0, 4)), dateOfBirth.slice(5)];
  const [year, monthDay] = [Number(today.slice(0, 4)), today.slice(5)];
  return year - birthYear - (monthDay < birthMonthDay ? 1 : 0);
}
