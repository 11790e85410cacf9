import { describe, expect, it } from 'vitest';
import { DATABASE_INPUT_ERRORS, databaseErrorCode, databaseInputErrorCode } from '../../../src/server/db/input-errors';

/** An error as node-postgres and PGlite raise it: an Error with the SQLSTATE in `code`. */
function databaseError(code: string): Error {
  return Object.assign(new Error('database error'), { code });
}

/** Wrapped the way tRPC and Kysely wrap it: the database error somewhere down the cause chain. */
function wrapped(error: Error, depth: number): Error {
  let current = error;
  for (let level = 0; level < depth; level++) current = new Error(`wrapper ${level}`, { cause: current });
  return current;
}

describe('PostgreSQL data errors as bad input (PLAT-6)', () => {
  it.each([
    ['22008', 'a date PostgreSQL cannot hold (year 0)'],
    ['22007', 'a date or time it cannot read'],
    ['22003', 'a number beyond its column'],
    ['22021', 'a NUL character'],
    ['22P05', 'text the encoding cannot hold'],
    ['22001', 'text longer than its column'],
    ['22P02', 'text that is not a uuid or a number'],
    ['22009', 'an offset beyond ±15:59'],
    ['22019', 'a bad LIKE escape'],
    ['22025', 'a LIKE pattern ending in its escape'],
  ])('PLAT-6: %s (%s) is the client\'s input', (code) => {
    expect(DATABASE_INPUT_ERRORS.has(code)).toBe(true);
    expect(databaseInputErrorCode(databaseError(code))).toBe(code);
    expect(databaseInputErrorCode(wrapped(databaseError(code), 3))).toBe(code);
  });

  it.each([
    ['23505', 'a unique violation (the service turns the ones it expects into field errors)'],
    ['23503', 'a foreign-key violation'],
    ['40001', 'a serialisation failure'],
    ['42P01', 'an unknown table: a bug'],
    ['42501', 'a missing privilege: a bug'],
    ['22012', 'division by zero: a bug in the server\'s own SQL'],
    ['2201B', 'an invalid regular expression: the server wrote it'],
    ['57014', 'a cancelled statement'],
  ])('PLAT-6: %s (%s) stays a server error', (code) => {
    expect(DATABASE_INPUT_ERRORS.has(code)).toBe(false);
    expect(databaseErrorCode(databaseError(code))).toBe(code);
    expect(databaseInputErrorCode(databaseError(code))).toBeUndefined();
  });

  it('PLAT-6: every mapped code is a class 22 SQLSTATE with its name', () => {
    expect(DATABASE_INPUT_ERRORS.size).toBeGreaterThanOrEqual(10);
    for (const [code, name] of DATABASE_INPUT_ERRORS) {
      expect(code).toMatch(/^22[0-9A-Z]{3}$/);
      expect(name).toMatch(/^[a-z_]+$/);
    }
  });

  it('PLAT-6: errors without a SQLSTATE, or one too deep or malformed, are not input errors', () => {
    expect(databaseInputErrorCode(new Error('plain'))).toBeUndefined();
    expect(databaseInputErrorCode(undefined)).toBeUndefined();
    expect(databaseInputErrorCode({ code: '22008' })).toBeUndefined(); // not an Error
    expect(databaseInputErrorCode(databaseError('ECONNREFUSED'))).toBeUndefined();
    expect(databaseInputErrorCode(wrapped(databaseError('22008'), 10))).toBeUndefined();
  });
});
