import { describe, expect, it } from 'vitest';

import { formatOnDay, formatWindow, minutesBetween } from '../../../src/renderer/src/features/visits/visit-time';

describe('visit times on the board (Oslo)', () => {
  it('VIS-3: the wanted window on the day shown is two clock times in Oslo (winter: UTC+1)', () => {
    expect(formatWindow('2026-12-06T09:00:00.000Z', '2026-12-06T11:30:00.000Z', '2026-12-06')).toBe('10:00–12:30');
  });

  it('VIS-3: a time on another day than the one shown carries its date (an open booking from before, past midnight)', () => {
    expect(formatWindow('2026-12-05T21:00:00.000Z', '2026-12-05T23:30:00.000Z', '2026-12-06')).toBe('05.12.2026 22:00–00:30');
    expect(formatOnDay('2026-12-06T13:05:00.000Z', '2026-12-06')).toBe('14:05');
    expect(formatOnDay('2026-12-07T13:05:00.000Z', '2026-12-06')).toBe('07.12.2026 14:05');
  });

  it('VIS-3: elapsed time since booking is whole minutes, never negative when the clock is a little behind', () => {
    const now = new Date('2026-12-06T10:00:59.000Z');
    expect(minutesBetween('2026-12-06T08:55:00.000Z', now)).toBe(65);
    expect(minutesBetween('2026-12-06T10:01:30.000Z', now)).toBe(0);
  });
});
