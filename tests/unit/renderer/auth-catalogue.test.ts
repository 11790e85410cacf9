import { describe, expect, it } from 'vitest';

import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import { AUDIT_ACTIONS } from '../../../src/server/audit/actions';
import { PROFESSIONS } from '../../../src/shared/auth-schemas';
import { ROLES } from '../../../src/shared/roles';

function lookup(catalogue: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), catalogue);
}

/** The validation keys the auth schemas and services send (src/shared/auth-schemas.ts, the services' fieldError calls). */
const AUTH_VALIDATION_KEYS = [
  'validation.required',
  'validation.email',
  'validation.email_taken',
  'validation.phone',
  'validation.roles',
  'validation.hprNumber',
  'validation.totpCode',
  'validation.totpCode_wrong',
  'validation.smsCode',
  'validation.smsCode_wrong',
  'validation.recoveryCode',
  'validation.code_or_recovery',
  'validation.not_yourself',
  'validation.keep_own_admin',
  'validation.id',
  'validation.token',
  'validation.deviceId',
  'validation.password.too_short',
  'validation.password.too_long',
  'validation.password.common',
  'validation.password.contains_email',
];

const CATALOGUES = { nb, en };

describe.each(Object.entries(CATALOGUES))('the %s catalogue', (_language, catalogue) => {
  it.each([...AUDIT_ACTIONS])('AUD-7, PLAT-4: the audit action %s has a name', (action) => {
    expect(typeof lookup(catalogue, `auditAction.${action.replace(/\./g, '_')}`)).toBe('string');
  });

  it.each(AUTH_VALIDATION_KEYS)('PLAT-6: %s is translated', (key) => {
    expect(typeof lookup(catalogue, key)).toBe('string');
  });

  it('PLAT-4: every role and profession has a name', () => {
    for (const role of ROLES) expect(typeof lookup(catalogue, `role.${role}`), role).toBe('string');
    for (const profession of PROFESSIONS) expect(typeof lookup(catalogue, `profession.${profession}`), profession).toBe('string');
  });
});
