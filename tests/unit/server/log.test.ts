import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { describeErrorForLog } from '../../../src/server/log';

/** A pg DatabaseError's shape: prose with data in the message, machine codes beside it. */
function pgLikeError(message: string): Error {
  return Object.assign(new Error(message), {
    name: 'DatabaseError',
    code: '23505',
    constraint: 'patient_national_id_key',
    table: 'patient',
    detail: 'Key (national_id)=(17059012345) already exists.',
  });
}

describe('describeErrorForLog', () => {
  it('PLAT-8: keeps type, code, constraint and table but no word of the message', () => {
    const error = pgLikeError('duplicate key for Kari Nordmann violates unique constraint "patient_national_id_key"');
    const described = describeErrorForLog(error);
    expect(described).toMatchObject({
      type: 'DatabaseError',
      code: '23505',
      constraint: 'patient_national_id_key',
      table: 'patient',
    });
    const output = JSON.stringify(described);
    expect(output).not.toContain('Kari');
    expect(output).not.toContain('Nordmann');
    expect(output).not.toContain('duplicate key');
    // The detail field carries data too and is not copied.
    expect(output).not.toContain('17059012345');
  });

  it('PLAT-8: keeps stack frames (where it failed) without the message line', () => {
    const described = describeErrorForLog(new Error('Kari Nordmann'));
    expect(typeof described.stack).toBe('string');
    const stack = described.stack as string;
    expect(stack).toMatch(/^\s+at /);
    expect(stack).toContain('log.test.ts');
    expect(stack).not.toContain('Kari');
  });

  it('PLAT-8: a message spanning several lines leaves no line of it in the stack', () => {
    const error = pgLikeError('duplicate key\nDETAIL: Key (name)=(Kari Nordmann) already exists\nHINT: 17059012345');
    const output = JSON.stringify(describeErrorForLog(error));
    expect(output).not.toContain('Kari');
    expect(output).not.toContain('17059012345');
    expect(output).not.toContain('DETAIL');
  });

  it("PLAT-8: a ZodError (whose message is its issues as JSON) contributes none of its issues' text", () => {
    const result = z.object({ name: z.literal('x', { message: 'got Kari Nordmann' }) }).safeParse({ name: 'y' });
    expect(result.success).toBe(false);
    const output = JSON.stringify(describeErrorForLog(result.error));
    expect(output).toContain('ZodError');
    expect(output).not.toContain('Kari');
    // The issues' JSON opens the stack: none of it (codes, paths) may follow the type.
    expect(output).not.toContain('invalid_value');
    expect(output).not.toContain('path');
  });

  it('PLAT-8: codes that are not strings are left out', () => {
    const error = Object.assign(new Error('x'), { code: { patient: 'Kari' }, constraint: 42 });
    const described = describeErrorForLog(error);
    expect(described.code).toBeUndefined();
    expect(described.constraint).toBeUndefined();
    expect(JSON.stringify(described)).not.toContain('Kari');
  });

  it('PLAT-8: the cause is described the same way, nested', () => {
    const cause = pgLikeError('Kari Nordmann already exists');
    const error = new Error('insert failed for Kari Nordmann', { cause });
    const described = describeErrorForLog(error);
    expect(described.type).toBe('Error');
    expect(described.cause).toMatchObject({ type: 'DatabaseError', code: '23505', constraint: 'patient_national_id_key' });
    expect(JSON.stringify(described)).not.toContain('Kari');
  });

  it('PLAT-8: a cause that is not an Error gives only its type', () => {
    const described = describeErrorForLog(new Error('failed', { cause: { patient: 'Kari Nordmann' } }));
    expect(described.cause).toEqual({ type: 'object' });
  });

  it('PLAT-8: a cause chain that loops ends instead of overflowing the stack', () => {
    const error = new Error('Kari');
    error.cause = error;
    const described = describeErrorForLog(error);
    expect(described.type).toBe('Error');
    expect(JSON.stringify(described)).not.toContain('Kari');
  });

  it.each([
    ['a string', 'Kari Nordmann', 'string'],
    ['a number', 42, 'number'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'object'],
    ['an error-like object', { message: 'Kari Nordmann', code: '23505' }, 'object'],
  ])('PLAT-8: non-Error input (%s) gives only its type', (_label, input, type) => {
    expect(describeErrorForLog(input)).toEqual({ type });
  });
});
