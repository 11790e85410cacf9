import { useEffect, useState } from 'react';
import { formatDateTime, formatTime } from '../../lib/format';
import { osloToday } from '../journal/dates';

/** The current time, renewed every `intervalMs` so elapsed times on the board tick along (VIS-3). */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** Whole minutes from `since` to `now`, never negative (a clock a little behind the server's). */
export function minutesBetween(since: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000));
}

/**
 * A wanted window in Oslo time: "14:00–16:00" on the day shown, with the date in front of a time
 * on another day (an open booking from before, or one reaching past midnight).
 */
export function formatWindow(earliestAt: string, latestAt: string, day: string): string {
  const at = (instant: string) => (osloToday(new Date(instant)) === day ? formatTime(instant) : formatDateTime(instant));
  return `${at(earliestAt)}–${at(latestAt)}`;
}

/** A time on the day shown as hh:mm, otherwise with its date. */
export function formatOnDay(instant: string, day: string): string {
  return osloToday(new Date(instant)) === day ? formatTime(instant) : formatDateTime(instant);
}
