import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { toFieldErrors } from '../../../src/server/errors';
import { nationalIdentityNumberSchema } from '../../../src/shared/national-identity-number';
import { organisationNumberSchema } from '../../../src/shared/organisation-number';

/** The issues of a parse that must fail. */
function issuesOf(schema: z.ZodType, input: unknown): z.core.$ZodIssue[] {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected the parse to fail');
  return result.error.issues;
}

const patientSchema = z
  .object({
    name: z.string().min(2).max(40),
    age: z.number().int().min(0).max(130),
    email: z.email(),
    role: z.enum(['clinician', 'coordinator']),
    contacts: z.array(z.object({ phone: z.string().min(8) }).strict()).max(3),
  })
  .strict();

const valid = {
  name: 'Ola',
  age: 40,
  email: 'ola@example.no',
  role: 'clinician',
  contacts: [{ phone: '12345678' }],
};

describe('toFieldErrors', () => {
  it('PLAT-6: a valid input has no issues (sanity check for the schema below)', () => {
    expect(patientSchema.safeParse(valid).success).toBe(true);
  });

  it('PLAT-6: too short / too long give validation.too_small / too_big with the limit and origin', () => {
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, name: 'K' }))).toEqual([
      { field: 'name', messageKey: 'validation.too_small', params: { limit: 2, origin: 'string' } },
    ]);
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, name: 'K'.repeat(41) }))).toEqual([
      { field: 'name', messageKey: 'validation.too_big', params: { limit: 40, origin: 'string' } },
    ]);
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, age: 131 }))).toEqual([
      { field: 'age', messageKey: 'validation.too_big', params: { limit: 130, origin: 'number' } },
    ]);
  });

  it('PLAT-6: a bigint limit becomes a number', () => {
    expect(toFieldErrors(issuesOf(z.object({ n: z.bigint().min(5n) }), { n: 1n }))).toEqual([
      { field: 'n', messageKey: 'validation.too_small', params: { limit: 5, origin: 'bigint' } },
    ]);
  });

  it('PLAT-6: wrong type and non-integer give validation.invalid_type with what was expected', () => {
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, age: 'forty' }))).toEqual([
      { field: 'age', messageKey: 'validation.invalid_type', params: { expected: 'number' } },
    ]);
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, age: 40.5 }))).toEqual([
      { field: 'age', messageKey: 'validation.invalid_type', params: { expected: 'int' } },
    ]);
  });

  it('PLAT-6: a bad e-mail gives validation.invalid_format with the format', () => {
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, email: 'kari@' }))).toEqual([
      { field: 'email', messageKey: 'validation.invalid_format', params: { format: 'email' } },
    ]);
  });

  it('PLAT-6: a value outside an enum gives validation.invalid_value and no list of options', () => {
    expect(toFieldErrors(issuesOf(patientSchema, { ...valid, role: 'dpo' }))).toEqual([
      { field: 'role', messageKey: 'validation.invalid_value', params: {} },
    ]);
  });

  it('PLAT-6: unknown keys on a strict object give validation.unrecognized_keys on the object, not naming the key', () => {
    const errors = toFieldErrors(issuesOf(patientSchema, { ...valid, diagnosis: 'F32.1' }));
    expect(errors).toEqual([{ field: '', messageKey: 'validation.unrecognized_keys', params: {} }]);
    expect(JSON.stringify(errors)).not.toContain('diagnosis');
  });

  it('PLAT-6: nested fields are dotted paths, array indexes included', () => {
    const errors = toFieldErrors(
      issuesOf(patientSchema, { ...valid, contacts: [{ phone: '12345678' }, { phone: '123' }, { phone: '1', x: 1 }] }),
    );
    expect(errors).toEqual([
      { field: 'contacts.1.phone', messageKey: 'validation.too_small', params: { limit: 8, origin: 'string' } },
      { field: 'contacts.2.phone', messageKey: 'validation.too_small', params: { limit: 8, origin: 'string' } },
      { field: 'contacts.2', messageKey: 'validation.unrecognized_keys', params: {} },
    ]);
  });

  it('PLAT-6: a missing required field is reported on its own path', () => {
    const { email: _email, ...withoutEmail } = valid;
    expect(toFieldErrors(issuesOf(patientSchema, withoutEmail))).toEqual([
      { field: 'email', messageKey: 'validation.invalid_type', params: { expected: 'string' } },
    ]);
  });

  it('PLAT-6: a schema message that starts with "validation." is kept as the key', () => {
    const schema = z.object({ code: z.string().length(4, { message: 'validation.pinCode' }) });
    expect(toFieldErrors(issuesOf(schema, { code: '12' }))).toEqual([
      { field: 'code', messageKey: 'validation.pinCode', params: { limit: 4, origin: 'string' } },
    ]);
  });

  it('PLAT-6: a schema message in prose is not sent; the code is the key', () => {
    const schema = z.object({ code: z.string().min(4, { message: 'Kari Nordmann, PIN too short' }) });
    const errors = toFieldErrors(issuesOf(schema, { code: '12' }));
    expect(errors).toEqual([{ field: 'code', messageKey: 'validation.too_small', params: { limit: 4, origin: 'string' } }]);
    expect(JSON.stringify(errors)).not.toContain('Kari');
  });

  it('PLAT-6: the shared validators keep their own keys (national identity number, organisation number)', () => {
    const schema = z.object({ nin: nationalIdentityNumberSchema(), org: organisationNumberSchema() });
    expect(toFieldErrors(issuesOf(schema, { nin: '01010112345', org: '923609017' }))).toEqual([
      { field: 'nin', messageKey: 'validation.nationalIdentityNumber.checksum', params: {} },
      { field: 'org', messageKey: 'validation.organisationNumber.checksum', params: {} },
    ]);
  });

  it('PLAT-6: the rejected input never appears anywhere in the output', () => {
    const secret = 'Kari-Nordmann-17051990';
    const inputs: Record<string, unknown>[] = [
      { ...valid, name: secret.repeat(3) }, // too_big
      { ...valid, email: secret }, // invalid_format
      { ...valid, role: secret }, // invalid_value
      { ...valid, age: secret }, // invalid_type
      { ...valid, [secret]: 'x' }, // unrecognized key: its name
      { ...valid, notes: secret }, // unrecognized key: its value
      { ...valid, contacts: [{ phone: secret.slice(0, 3) }] }, // too_small, nested
    ];
    for (const input of inputs) {
      const issues = issuesOf(patientSchema, input);
      const output = JSON.stringify(toFieldErrors(issues));
      expect(output).not.toContain(secret);
      expect(output).not.toContain('Kari');
      // Nor zod's English prose, which quotes options and keys.
      for (const issue of issues) expect(output).not.toContain(issue.message);
    }
  });

  it('PLAT-6: the rejected input stays out even when zod is told to report it', () => {
    const secret = '17059012345';
    const result = z.object({ nin: z.string().max(5) }).safeParse({ nin: secret }, { reportInput: true });
    expect(result.success).toBe(false);
    const issues = result.error?.issues ?? [];
    expect(JSON.stringify(issues)).toContain(secret); // zod did attach it
    expect(JSON.stringify(toFieldErrors(issues))).not.toContain(secret);
  });
});
