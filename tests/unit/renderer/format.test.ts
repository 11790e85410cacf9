import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { formatCalendarDate, formatDate, formatDateTime } from '../../../src/renderer/src/lib/format';

const CASES = [
  // Last second of CET before the spring-forward on 29 March 2026 …
  { utc: '2026-03-29T00:59:59Z', date: '29.03.2026', time: '01:59', seconds: '01:59:59' },
  // … and the first of CEST: 02:00 local never happens.
  { utc: '2026-03-29T01:00:00Z', date: '29.03.2026', time: '03:00', seconds: '03:00:00' },
  // Autumn: 03:00 CEST becomes 02:00 CET on 25 October 2026.
  { utc: '2026-10-25T00:59:59Z', date: '25.10.2026', time: '02:59', seconds: '02:59:59' },
  { utc: '2026-10-25T01:00:00Z', date: '25.10.2026', time: '02:00', seconds: '02:00:00' },
  // New Year in Oslo comes an hour before UTC's.
  { utc: '2026-12-31T23:30:00Z', date: '01.01.2027', time: '00:30', seconds: '00:30:00' },
  // Afternoon: 24-hour clock.
  { utc: '2026-06-15T11:05:09Z', date: '15.06.2026', time: '13:05', seconds: '13:05:09' },
  // Midnight is 00, not 24.
  { utc: '2026-01-14T23:00:00Z', date: '15.01.2026', time: '00:00', seconds: '00:00:00' },
];

function checkAll(): void {
  for (const { utc, date, time, seconds } of CASES) {
    expect(formatDate(utc), utc).toBe(date);
    expect(formatDateTime(utc), utc).toBe(`${date} ${time}`);
    expect(formatDateTime(new Date(utc), { seconds: true }), utc).toBe(`${date} ${seconds}`);
  }
}

describe.each(['UTC', 'America/New_York', 'Asia/Tokyo', 'Europe/Oslo'])('with the process time zone %s', (zone) => {
  const original = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = zone;
  });
  afterAll(() => {
    if (original === undefined) delete process.env.TZ;
    else process.env.TZ = original;
  });

  it('the process time zone really changed (so the next test means something)', () => {
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone === 'UTC') expect(resolved).toMatch(/^(Etc\/)?UTC$/);
    else expect(resolved).toBe(zone);
  });

  it('PLAT-4: formatDate and formatDateTime show Europe/Oslo dd.mm.yyyy and 24-hour HH:mm, across DST changes', () => {
    checkAll();
  });
});

describe('formatDateTime', () => {
  it('PLAT-4: uses a 24-hour clock, never AM/PM', () => {
    const formatted = formatDateTime('2026-06-15T11:05:00Z');
    expect(formatted).toBe('15.06.2026 13:05');
    expect(formatted).not.toMatch(/[AP]M|1:05 /i);
  });

  it('PLAT-4: accepts a Date as well as an ISO string', () => {
    expect(formatDateTime(new Date(Date.UTC(2026, 11, 24, 17, 5)))).toBe('24.12.2026 18:05');
    expect(formatDate(new Date(Date.UTC(2026, 11, 24, 17, 5)))).toBe('24.12.2026');
  });

  it('PLAT-4: an invalid date throws rather than showing garbage', () => {
    expect(() => formatDate('not a date')).toThrow(RangeError);
    expect(() => formatDateTime('not a date')).toThrow(RangeError);
  });
});

describe('formatCalendarDate', () => {
  it('PLAT-4: yyyy-mm-dd becomes dd.mm.yyyy with no time-zone shift', () => {
    expect(formatCalendarDate('1990-05-17')).toBe('17.05.1990');
    expect(formatCalendarDate('2000-01-01')).toBe('01.01.2000');
    expect(formatCalendarDate('1899-12-31')).toBe('31.12.1899');
  });

  it('PLAT-4: keeps the calendar date even when the process is west of UTC', () => {
    const original = process.env.TZ;
    process.env.TZ = 'Pacific/Honolulu';
    try {
      expect(formatCalendarDate('2000-01-01')).toBe('01.01.2000');
    } finally {
      if (original === undefined) delete process.env.TZ;
      else process.env.TZ = original;
    }
  });

  it.each(['17.05.1990', '1990-5-17', '1990-05-17T00:00:00Z', ' 1990-05-17', '1990-05-17 ', '', '19900517', '١٩٩٠-٠٥-١٧'])(
    'PLAT-4: throws on %j',
    (input) => {
      expect(() => formatCalendarDate(input)).toThrow(RangeError);
    },
  );
});
