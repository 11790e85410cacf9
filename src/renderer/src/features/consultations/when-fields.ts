import { useState } from 'react';
import { translateCode } from '../../lib/translate';
import { osloInstant, osloTimeOfDay, osloToday, parseDateInput, parseTimeInput, toDateInput } from '../journal/dates';

/** The date, time and length of a consultation as typed (dd.mm.yyyy, hh:mm, minutes). */
export interface WhenForm {
  date: string;
  time: string;
  durationMinutes: string;
}

export function whenFormAt(startsAt: string | Date, durationMinutes: number): WhenForm {
  const instant = new Date(startsAt);
  return { date: toDateInput(osloToday(instant)), time: osloTimeOfDay(instant), durationMinutes: String(durationMinutes) };
}

/**
 * The typed date and time as the instant the server takes (Oslo wall time), or the messages for
 * what could not be read. The schema the server uses checks the rest before sending.
 */
export function readWhen(form: WhenForm, labels: { date: string; time: string }): { startsAt: string; durationMinutes: number } | { errors: Record<string, string> } {
  const date = parseDateInput(form.date);
  const time = parseTimeInput(form.time);
  const errors: Record<string, string> = {};
  if (!date) errors.date = translateCode('validation.date', { field: labels.date });
  if (!time) errors.time = translateCode('consultations.timeInvalid', { field: labels.time });
  if (!date || !time) return { errors };
  return { startsAt: osloInstant(date, time), durationMinutes: Number(form.durationMinutes) };
}

/** The form's state, with a setter that clears the field's own error. */
export function useWhenForm(initial: () => WhenForm) {
  const [form, setForm] = useState<WhenForm>(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const set = (key: keyof WhenForm, value: string) => {
    setForm((current) => ({ ...current, [key]: value }));
    setClientErrors(({ [key]: _dropped, ...rest }) => rest);
  };
  return { form, setForm, clientErrors, setClientErrors, set };
}
