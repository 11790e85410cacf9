import type { RouterOutputs } from '../../lib/api-types';
import { formatTime } from '../../lib/format';

export type CalendarEntry = RouterOutputs['consultations']['calendar']['entries'][number];

/** "09:00–09:30": an entry's time in Oslo, 24 h. */
export function timeSpanOf(entry: Pick<CalendarEntry, 'startsAt' | 'durationMinutes'>): string {
  const end = new Date(new Date(entry.startsAt).getTime() + entry.durationMinutes * 60_000);
  return `${formatTime(entry.startsAt)}–${formatTime(end)}`;
}
