import { describe, expect, it } from 'vitest';
import { addDays, ageOn, osloInstant, osloTimeOfDay, osloToday, parseDateInput, parseTimeInput, toDateInput } from '../../../src/renderer/src/features/journal/dates';

// PLAT-4: the user types dd.mm.yyyy and hh:mm in Oslo time; the server takes yyyy-mm-dd and ISO instants.

describe('parseDateInput', () => {
  it.each([
    ['15.07.1965', '1965-07-15'],
    ['1.2.2026', '2026-02-01'],
    [' 29.02.2024 ', '2024-02-29'],
    ['31.12.2026', '2026-12-31'],
  ])('%j → %s', (text, iso) => {
    expect(parseDateInput(text)).toBe(iso);
  });

  it.each(['', '15.07.65', '1965-07-15', '29.02.2025', '31.04.2026', '00.01.2026', '01.13.2026', '32.01.2026', '15/07/1965', '15.07.1965x', '15.07.0999'])('%j is no date', (text) => {
    expect(parseDateInput(text)).toBeNull();
  });

  it('toDateInput gives back what parseDateInput reads', () => {
    expect(toDateInput('1965-07-15')).toBe('15.07.1965');
    expect(parseDateInput(toDateInput('2026-02-01'))).toBe('2026-02-01');
  });
});

describe('parseTimeInput', () => {
  it.each([
    ['14:05', '14:05'],
    ['9:05', '09:05'],
    ['09.30', '09:30'],
    ['00:00', '00:00'],
    ['23:59', '23:59'],
  ])('%j → %s', (text, time) => {
    expect(parseTimeInput(text)).toBe(time);
  });

  it.each(['', '24:00', '12:60', '1205', '12:5', 'noon'])('%j is no time', (text) => {
    expect(parseTimeInput(text)).toBeNull();
  });
});

describe('Oslo dates and instants', () => {
  it('today and the time of day are Oslo\'s, not UTC\'s', () => {
    // 23:30 UTC on 31 December is already 00:30 on 1 January in Oslo (UTC+1 in winter).
    const night = new Date('2026-12-31T23:30:00Z');
    expect(osloToday(night)).toBe('2027-01-01');
    expect(osloTimeOfDay(night)).toBe('00:30');
    // Summer time: UTC+2.
    expect(osloTimeOfDay(new Date('2026-07-01T10:15:00Z'))).toBe('12:15');
  });

  it('osloInstant turns Oslo wall time into UTC, winter and summer', () => {
    expect(osloInstant('2026-01-15', '12:00')).toBe('2026-01-15T11:00:00.000Z');
    expect(osloInstant('2026-07-15', '12:00')).toBe('2026-07-15T10:00:00.000Z');
    expect(osloInstant('2026-12-31', '23:59')).toBe('2026-12-31T22:59:00.000Z');
  });

  it('osloInstant around the clock changes: a skipped time moves on, an ambiguous one takes its first occurrence', () => {
    // 29 March 2026: 02:00 → 03:00 in Oslo. 02:30 does not exist.
    expect(osloInstant('2026-03-29', '01:30')).toBe('2026-03-29T00:30:00.000Z');
    expect(osloInstant('2026-03-29', '03:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']).toContain(osloInstant('2026-03-29', '02:30'));
    // 25 October 2026: 03:00 → 02:00. 02:30 happens twice; the first is 00:30 UTC.
    expect(osloInstant('2026-10-25', '02:30')).toBe('2026-10-25T00:30:00.000Z');
    expect(osloInstant('2026-10-25', '04:00')).toBe('2026-10-25T03:00:00.000Z');
  });

  it('addDays crosses months and years', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01');
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
});

describe('the banner age (issue 9)', () => {
  it('JRN-1: whole years, counted from the birthday, not the start of the year', () => {
    expect(ageOn('1965-07-15', '2026-07-14')).toBe(60);
    expect(ageOn('1965-07-15', '2026-07-15')).toBe(61);
    expect(ageOn('2026-12-05', '2026-12-05')).toBe(0);
    // Born 29 February: a year older on 1 March in other years.
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
  });
});
