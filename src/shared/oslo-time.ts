/**
 * Dates and times as Norwegian users read them (PLAT-4): dd.mm.yyyy and 24-hour HH:mm, always in
 * Europe/Oslo whatever the machine's own time zone. The server stores UTC. Used by the renderer and
 * by the server's printouts.
 */
const OSLO = 'Europe/Oslo';

const dateFormat = new Intl.DateTimeFormat('nb-NO', { timeZone: OSLO, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat('nb-NO', {
  timeZone: OSLO,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

function parts(format: Intl.DateTimeFormat, date: Date): Record<string, string> {
  return Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
}

/** 24.12.2026 — built from parts so the separators do not depend on the ICU build. */
export function formatDate(value: Date | string): string {
  const p = parts(dateFormat, new Date(value));
  return `${p.day}.${p.month}.${p.year}`;
}

/** 24.12.2026 18:05 (seconds when asked for). */
export function formatDateTime(value: Date | string, options: { seconds?: boolean } = {}): string {
  const date = new Date(value);
  const p = parts(timeFormat, date);
  const time = options.seconds ? `${p.hour}:${p.minute}:${p.second}` : `${p.hour}:${p.minute}`;
  return `${formatDate(date)} ${time}`;
}

/** A calendar date stored as yyyy-mm-dd (a date of birth), shown as dd.mm.yyyy with no time-zone shift. */
export function formatCalendarDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) throw new RangeError('Expected a yyyy-mm-dd date');
  return `${match[3]}.${match[2]}.${match[1]}`;
}

/** The calendar date in Oslo at an instant, as yyyy-mm-dd: "today" as the clinic's calendar has it. */
export function osloCalendarDate(now: Date): string {
  return formatDate(now).split('.').reverse().join('-');
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

/** A calendar date some days after another, yyyy-mm-dd. */
export function addDays(isoDate: string, days: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

const wallClockFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: OSLO,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The wall clock in Oslo at an instant, as numbers. */
export function osloWallClock(date: Date): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const p = parts(wallClockFormat, date);
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute), second: Number(p.second) };
}

/** The offset of Oslo from UTC at an instant, in milliseconds. */
function osloOffsetAt(instant: number): number {
  const p = osloWallClock(new Date(instant));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - instant;
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
  // Oslo is UTC+1 or UTC+2: try the earlier offset first, so an ambiguous time takes its first occurrence.
  for (const offset of [osloOffsetAt(wall - 2 * 3_600_000), osloOffsetAt(wall + 2 * 3_600_000)].sort((a, b) => b - a)) {
    const instant = wall - offset;
    if (osloOffsetAt(instant) === offset) return new Date(instant).toISOString();
  }
  return new Date(wall - osloOffsetAt(wall)).toISOString();
}

/** The clock time in Oslo at an instant, HH:mm (24 h). */
export function formatTime(value: Date | string): string {
  const p = parts(timeFormat, new Date(value));
  return `${p.hour}:${p.minute}`;
}
