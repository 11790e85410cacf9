import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, dsrDeadline, dsrUrgency, extendedDsrDeadline, isDsrExtensionAllowed } from '../../../src/shared/dsr-deadline';
import { DSR_STATUS_TRANSITIONS, DSR_STATUSES, DSR_STATUSES_NEEDING_IDENTITY, isAllowedDsrTransition } from '../../../src/shared/dsr-schemas';

describe('extending and watching the deadline of a data-subject request (DPO-4)', () => {
  it.each([
    ['2026-02-28', 1, '2026-03-28'],
    ['2026-02-28', 2, '2026-04-28'],
    ['2026-01-31', 1, '2026-02-28'],
    ['2027-12-31', 2, '2028-02-29'],
    ['2027-12-31', 1, '2028-01-31'],
  ])('DPO-4: deadline %s extended by %i month(s) → %s', (deadline, months, extended) => {
    expect(extendedDsrDeadline(deadline, months)).toBe(extended);
  });

  it('DPO-4: an extension is one or two months, nothing else', () => {
    for (const months of [0, 3, 1.5, -1]) expect(() => extendedDsrDeadline('2026-03-15', months)).toThrow(RangeError);
  });

  it('DPO-4: an extension is allowed up to and including the original deadline, not a day after', () => {
    const deadline = dsrDeadline('2026-01-31');
    expect(deadline).toBe('2026-02-28');
    expect(isDsrExtensionAllowed(deadline, '2026-02-01')).toBe(true);
    expect(isDsrExtensionAllowed(deadline, '2026-02-28')).toBe(true);
    expect(isDsrExtensionAllowed(deadline, '2026-03-01')).toBe(false);
  });

  it('DPO-4: days between calendar dates cross month ends, leap days and the DST change', () => {
    expect(calendarDaysBetween('2026-02-28', '2026-03-01')).toBe(1);
    expect(calendarDaysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(calendarDaysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(calendarDaysBetween('2026-04-10', '2026-04-01')).toBe(-9);
  });

  it('DPO-4: overdue after the deadline day, due soon within seven days, closed cases never pressing', () => {
    expect(dsrUrgency('2026-05-10', '2026-05-11', false)).toBe('overdue');
    expect(dsrUrgency('2026-05-10', '2026-05-10', false)).toBe('due_soon');
    expect(dsrUrgency('2026-05-10', '2026-05-03', false)).toBe('due_soon');
    expect(dsrUrgency('2026-05-10', '2026-05-02', false)).toBe('on_time');
    expect(dsrUrgency('2026-05-10', '2026-06-11', true)).toBe('closed');
  });

  it('DPO-4: the status table: closed cases are final, every target is a status, and identity-bound statuses are never reached from received directly', () => {
    expect(DSR_STATUS_TRANSITIONS.completed).toEqual([]);
    expect(DSR_STATUS_TRANSITIONS.denied).toEqual([]);
    for (const from of DSR_STATUSES) {
      for (const to of DSR_STATUS_TRANSITIONS[from]) {
        expect(DSR_STATUSES).toContain(to);
        expect(to).not.toBe(from);
      }
    }
    for (const status of DSR_STATUSES_NEEDING_IDENTITY) expect(isAllowedDsrTransition('received', status)).toBe(false);
  });
});
