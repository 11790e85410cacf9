import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  calendarDate,
  EARLIEST_CALENDAR_DATE,
  instant,
  isWellFormedText,
  malformedTextPaths,
  optionalText,
  sequenceId,
  text,
} from '../../../src/shared/schema-primitives';

/** The translation keys a parse produced ([] when it passed). */
function messages(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => issue.message);
}

// A fixed clock: 2026-11-22 23:30 in Oslo is 22:30 UTC, so "today" in Oslo is still the 22nd,
// and 2026-11-22T23:30Z is already the 23rd in Oslo.
const at = (iso: string) => () => new Date(iso);

describe('text (PLAT-6, JRN-3)', () => {
  it('PLAT-6: well-formed text passes, surrogate pairs (emoji) included', () => {
    expect(isWellFormedText('Ærlig Øystein Åsen 😀 ﷽ \u202e')).toBe(true);
    expect(isWellFormedText('\ud83d\ude00')).toBe(true);
    expect(isWellFormedText('')).toBe(true);
  });

  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', '\udfff'],
    ['a high surrogate at the end', 'Kari \ud83d'],
    ['a low surrogate at the start', '\ude00 Kari'],
    ['a pair in the wrong order', '\ude00\ud83d'],
    ['a high surrogate before another high one', '\ud83d\ud83d\ude00'],
  ])('PLAT-6: %s is not well-formed, and the text schema refuses it with one message', (_label, value) => {
    expect(isWellFormedText(value)).toBe(false);
    // The same verdict as the engine's own check, where there is one (Node 20).
    const builtIn = (value as unknown as { isWellFormed?: () => boolean }).isWellFormed;
    if (builtIn) expect(builtIn.call(value)).toBe(false);
    expect(messages(text({ max: 100 }), value)).toEqual(['validation.text_malformed']);
    expect(messages(text({ max: 100, multiline: true }), value)).toEqual(['validation.text_malformed']);
  });

  it('PLAT-6: a lone surrogate in a huge text is still named as the broken character, not only as too long', () => {
    expect(messages(text({ max: 10 }), `${'x'.repeat(50)}\ud800`)).toEqual(['validation.text_malformed']);
  });

  it('PLAT-6: NUL and other control characters are refused; tab and line breaks only in multiline text', () => {
    const line = text({ max: 100 });
    const lines = text({ max: 100, multiline: true });
    for (const value of ['Kari\u0000Nordmann', 'bell\u0007', 'esc\u001b[0m', 'del\u007f', 'c1\u0085']) {
      expect(messages(line, value), JSON.stringify(value)).toEqual(['validation.text_control']);
      expect(messages(lines, value), JSON.stringify(value)).toEqual(['validation.text_control']);
    }
    for (const value of ['første linje\nandre linje', 'kolonne\tkolonne', 'windows\r\nlinje']) {
      expect(messages(line, value), JSON.stringify(value)).toEqual(['validation.text_control']);
      expect(messages(lines, value), JSON.stringify(value)).toEqual([]);
    }
  });

  it('PLAT-6: length is counted after trimming, with the given messages', () => {
    const schema = text({ min: 3, max: 5, minMessage: 'validation.search_too_short' });
    expect(schema.parse('  abc  ')).toBe('abc');
    expect(messages(schema, '  ab  ')).toEqual(['validation.search_too_short']);
    expect(messages(schema, 'abcdef')).toEqual(['validation.too_long']);
    expect(messages(schema, 42)).toHaveLength(1);
  });

  it('JRN-3: untrimmed text is kept exactly as written', () => {
    expect(text({ max: 100, multiline: true, trim: false }).parse('  innrykk\n')).toBe('  innrykk\n');
  });

  it('PLAT-6: optional text turns an empty field into null and still refuses broken characters', () => {
    const schema = optionalText({ max: 10 });
    expect(schema.parse('  ')).toBeNull();
    expect(schema.parse(undefined)).toBeNull();
    expect(schema.parse(' Oslo ')).toBe('Oslo');
    expect(messages(schema, 'Os\udc00lo')).toEqual(['validation.text_malformed']);
  });
});

describe('malformedTextPaths (PLAT-6)', () => {
  it('PLAT-6: names every malformed string by its dotted path, at any depth and in arrays', () => {
    const input = { patientId: 'ok', details: { givenName: 'Kari\ud800', phone: '+4791234567' }, noteIds: ['ok', '\udfff'], body: 'fint 😀' };
    expect(malformedTextPaths(input).sort()).toEqual(['details.givenName', 'noteIds.1']);
    expect(malformedTextPaths('\ud800')).toEqual(['']);
    expect(malformedTextPaths({ fine: ['a', { b: 'c' }], n: 1, t: true, z: null })).toEqual([]);
  });

  it('PLAT-6: a malformed object key is reported at its object, without naming the key', () => {
    expect(malformedTextPaths({ after: { '\ud800': 'x' } })).toEqual(['after']);
  });

  it('PLAT-6: deep nesting is walked without overflowing the stack, and findings are capped', () => {
    let deep: unknown = '\ud800';
    for (let depth = 0; depth < 100_000; depth++) deep = [deep];
    expect(malformedTextPaths(deep)).toHaveLength(1);
    expect(malformedTextPaths(Array.from({ length: 1000 }, () => '\ud800'))).toHaveLength(20);
  });
});

describe('calendarDate (PLAT-6)', () => {
  const now = at('2026-11-22T22:30:00Z');

  it('PLAT-6: dates PostgreSQL cannot hold or that cannot be meant are refused', () => {
    const schema = calendarDate({ now });
    expect(messages(schema, '0000-01-01')).toEqual(['validation.date_too_early']);
    expect(messages(schema, '1899-12-31')).toEqual(['validation.date_too_early']);
    expect(messages(schema, '9999-12-31')).toEqual(['validation.date_too_late']);
    for (const value of ['-000001-01-01', '275760-09-13', '+275760-09-13', '2026-02-30', '2026-13-01', '22.11.2026', '2026-11-22T10:00:00Z', '']) {
      expect(messages(schema, value), value).toEqual(['validation.date']);
    }
    expect(messages(schema, 20261122)).toHaveLength(1);
  });

  it('PLAT-6: the default range is 1900-01-01 to ten years after today', () => {
    const schema = calendarDate({ now });
    expect(EARLIEST_CALENDAR_DATE).toBe('1900-01-01');
    expect(messages(schema, '1900-01-01')).toEqual([]);
    expect(messages(schema, '2024-02-29')).toEqual([]);
    expect(messages(schema, '2036-11-22')).toEqual([]);
    expect(messages(schema, '2036-11-23')).toEqual(['validation.date_too_late']);
  });

  it('PLAT-6: "not in the future" is today on the Oslo calendar, not UTC\'s', () => {
    const beforeMidnight = calendarDate({ latest: 'today', now });
    expect(messages(beforeMidnight, '2026-11-22')).toEqual([]);
    expect(messages(beforeMidnight, '2026-11-23')).toEqual(['validation.date_in_future']);
    // 23:30 UTC is 00:30 on the 23rd in Oslo.
    const afterOsloMidnight = calendarDate({ latest: 'today', now: at('2026-11-22T23:30:00Z') });
    expect(messages(afterOsloMidnight, '2026-11-23')).toEqual([]);
  });

  it('PLAT-6: a range of its own for one use', () => {
    const schema = calendarDate({ earliest: '2000-01-01', latest: { yearsAhead: 1 }, now });
    expect(messages(schema, '1999-12-31')).toEqual(['validation.date_too_early']);
    expect(messages(schema, '2027-11-22')).toEqual([]);
    expect(messages(schema, '2027-11-23')).toEqual(['validation.date_too_late']);
  });
});

describe('instant (PLAT-6)', () => {
  const now = at('2026-11-22T10:00:00Z');

  it('PLAT-6: instants PostgreSQL or JavaScript cannot hold, or that cannot be meant, are refused', () => {
    const schema = instant({ now });
    expect(messages(schema, '0000-01-01T00:00:00Z')).toEqual(['validation.date_too_early']);
    expect(messages(schema, '0000-01-01T00:00:00+14:00')).toEqual(['validation.date_too_early']);
    expect(messages(schema, '1969-12-31T23:59:59Z')).toEqual(['validation.date_too_early']);
    expect(messages(schema, '9999-12-31T23:59:59.999Z')).toEqual(['validation.date_too_late']);
    for (const value of ['-000001-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z', '2026-02-30T10:00:00Z', '2026-11-22', '2026-11-22T10:00:00', '2026-11-22T25:00:00Z', 'i går']) {
      expect(messages(schema, value), value).toEqual(['validation.date']);
    }
  });

  it('PLAT-6: any offset is accepted within the range', () => {
    const schema = instant({ now });
    expect(messages(schema, '1970-01-01T00:00:00Z')).toEqual([]);
    expect(messages(schema, '2026-11-22T11:00:00+01:00')).toEqual([]);
    expect(messages(schema, '2026-11-22T10:00:00.123456Z')).toEqual([]);
    expect(messages(schema, '2036-11-21T10:00:00Z')).toEqual([]);
    expect(messages(schema, '2036-11-23T10:00:00Z')).toEqual(['validation.date_too_late']);
  });

  it('PLAT-6: something that has happened may lie at most a day ahead (clock and time-zone slack)', () => {
    const schema = instant({ latest: 'now', now });
    expect(messages(schema, '2026-11-23T09:59:59Z')).toEqual([]);
    expect(messages(schema, '2026-11-23T10:00:01Z')).toEqual(['validation.date_in_future']);
  });
});

describe('sequenceId (PLAT-6)', () => {
  it('PLAT-6: decimal ids up to PostgreSQL\'s bigint, nothing beyond', () => {
    const schema = sequenceId();
    expect(messages(schema, '1')).toEqual([]);
    expect(messages(schema, '9223372036854775807')).toEqual([]);
    for (const value of ['9223372036854775808', '9999999999999999999', '', '-1', '1e3', '１２']) {
      expect(messages(schema, value), value).toEqual(['validation.id']);
    }
  });
});
