import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import {
  ACTIVITY_KINDS,
  COMPANY_STATUSES,
  CONTACT_PURPOSES,
  CONTACT_SOURCES,
  createCompanySchema,
  createContactSchema,
  createTaskSchema,
  LEGAL_BASES,
  LEGAL_BASIS_SOURCES,
  LEGAL_BASIS_STATES,
  logActivitySchema,
  recordBasisSchema,
  withdrawConsentSchema,
} from '../../../src/shared/crm-schemas';

const textAt = (catalogue: unknown, key: string) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], catalogue);
const CATALOGUES = [['nb', nb], ['en', en]] as const;

function missing(keys: Iterable<string>): string[] {
  return [...keys].flatMap((key) => CATALOGUES.filter(([, catalogue]) => typeof textAt(catalogue, key) !== 'string').map(([language]) => `${language}: ${key}`));
}

describe('the CRM catalogue', () => {
  it('PLAT-4: every code the CRM shows by name (status, purpose, basis, state, source, activity kind) has its words in nb and en', () => {
    const keys = [
      ...COMPANY_STATUSES.map((code) => `crm.status.${code}`),
      ...[...CONTACT_PURPOSES, 'all'].map((code) => `crm.purpose.${code}`),
      ...LEGAL_BASES.map((code) => `crm.basis.${code}`),
      ...LEGAL_BASIS_STATES.map((code) => `crm.basisState.${code}`),
      ...LEGAL_BASIS_SOURCES.map((code) => `crm.basisSource.${code}`),
      ...CONTACT_SOURCES.map((code) => `crm.contactSource.${code}`),
      ...[...ACTIVITY_KINDS, 'web_form'].map((code) => `crm.activityKind.${code}`),
    ];
    expect(keys.length).toBeGreaterThan(20);
    expect(missing(keys)).toEqual([]);
  });

  it('PLAT-4, PLAT-6: every message the CRM forms\' schemas give for bad input is a translated validation key', () => {
    const id = '6b0f1c1e-3f5a-4d7e-9c2b-0a1b2c3d4e5f';
    const bad: [{ safeParse: (input: unknown) => { error?: { issues: { message: string }[] } } }, unknown][] = [
      [createCompanySchema, { name: '', organisationNumber: '923609017', postcode: '12', ownerId: 'x', status: 'nope' }],
      [createCompanySchema, { name: 'x'.repeat(201), organisationNumber: '12' }],
      [createContactSchema, { companyId: id, fullName: '', email: 'not-an-address', phone: '12', bases: [] }],
      [
        createContactSchema,
        {
          companyId: id,
          fullName: 'Kari',
          bases: [
            { purpose: 'newsletter', basis: 'legitimate_interest', source: 'agreement', evidence: 'x' },
            { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: '' },
          ],
        },
      ],
      [recordBasisSchema, { contactId: id, purpose: 'direct_sales', basis: 'contract', source: 'phone', evidence: 'x', reviewOn: '1999-01-01' }],
      [withdrawConsentSchema, { contactId: id, purpose: 'everything', evidence: '' }],
      [logActivitySchema, { companyId: id, contactId: id, kind: 'call', purpose: null, summary: '', occurredAt: '2999-01-01T00:00:00.000Z' }],
      [logActivitySchema, { companyId: id, contactId: null, kind: 'fax', purpose: 'newsletter', summary: 'x', occurredAt: 'yesterday' }],
      [createTaskSchema, { companyId: id, title: '', dueOn: '31.12.2026' }],
    ];
    const messages = new Set<string>();
    for (const [schema, input] of bad) {
      const issues = schema.safeParse(input).error?.issues ?? [];
      expect(issues.length, JSON.stringify(input)).toBeGreaterThan(0);
      for (const issue of issues) messages.add(issue.message);
    }
    expect(messages.size).toBeGreaterThan(8);
    for (const message of messages) expect(message, message).toMatch(/^validation\./);
    expect(missing(messages)).toEqual([]);
  });
});
