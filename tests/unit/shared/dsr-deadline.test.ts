import { describe, expect, it } from 'vitest';
import { addCalendarMonths, dsrDeadline } from '../../../src/shared/dsr-deadline';

describe('the deadline of a data-subject request (DPO-4, GDPR art. 12(3))', () => {
  it.each([
    ['2026-03-15', '2026-04-15'],
    ['2026-01-31', '2026-02-28'],
    ['2028-01-31', '2028-02-29'],
    ['2026-04-30', '2026-05-30'],
    ['2026-03-31', '2026-04-30'],
    ['2026-12-31', '2027-01-31'],
    ['2026-12-05', '2027-01-05'],
  ])('DPO-4: received %s → due %s (same day next month, or the month’s last day)', (received, due) => {
    expect(dsrDeadline(received)).toBe(due);
  });

  it('DPO-4: an extension of one or two months counts from the deadline, month ends clamped', () => {
    expect(addCalendarMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addCalendarMonths('2026-02-28', 2)).toBe('2026-04-28');
    expect(addCalendarMonths('2027-11-30', 2)).toBe('2028-01-30');
    expect(addCalendarMonths('2027-12-31', 2)).toBe('2028-02-29');
  });

  it('DPO-4: anything but a calendar date is refused', () => {
    expect(() => dsrDeadline('31.01.2026')).toThrow(RangeError);
  });
});
