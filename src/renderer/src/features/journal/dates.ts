/**
 * Dates as the user types them (PLAT-4: dd.mm.yyyy, 24-hour hh:mm, Europe/Oslo) and as the server
 * takes them (yyyy-mm-dd calendar dates, ISO instants). Pure functions, no React.
 */
const OSLO = 'Europe/Oslo';

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: OSLO,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function partsOf(date: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = Object.fromEntries(osloParts.formatToParts(date).map((part) => [part.type, part.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

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
  const p = partsOf(now);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The time of day in Oslo, hh:mm. */
export function osloTimeOfDay(now: Date = new Date()): string {
  const p = partsOf(now);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** A calendar date some days after another, yyyy-mm-dd. */
export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** yyyy-mm-dd → dd.mm.yyyy, for filling an input. */
export function toDateInput(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

/**
 * The instant (ISO, UTC) of a wall-clock time in Oslo, whatever the machine's own time zone. Across
 * the autumn change an ambiguous hour resolves to its first occurrence; a time skipped in spring
 * moves an hour on.
 */
export function osloInstant(isoDate: string, time: string): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const offsetAt = (instant: number) => {
    const p = partsOf(new Date(instant));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant;
  };
  // Oslo is UTC+1 or UTC+2: try the earlier offset first, so an ambiguous time takes its first occurrence.
  for (const offset of [offsetAt(wall - 2 * 3_600_000), offsetAt(wall + 2 * 3_600_000)].sort((a, b) => b - a)) {
    const instant = wall - offset;
    if (offsetAt(instant) === offset) return new Date(instant).toISOString();
  }
  return new Date(wall - offsetAt(wall)).toISOString();
}

/** Whole years of age on a date (both yyyy-mm-dd); a 29 February birthday counts from 1 March in other years. */
export function ageOn(dateOfBirth: string, today: string): number {
  const [birthYear, birthMonthDay] = [Number(dateOfBirth.slice(0, 4)), dateOfBirth.slice(5)];
  const [year, monthDay] = [Number(today.slice(0, 4)), today.slice(5)];
  return year - birthYear - (monthDay < birthMonthDay ? 1 : 0);
}
