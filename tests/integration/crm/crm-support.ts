import { mod11CheckDigit } from '../../../src/shared/national-identity-number';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../support/identity';
import type { TestDatabase } from '../support/test-database';

export const MINUTE = 60_000;
export const DAY = 86_400_000;
/** The test clock starts at 2026-11-22 09:00 UTC: 10:00 in Oslo. */
export const TODAY = '2026-11-22';

/** A valid organisation number (mod-11) from 8 leading digits (first 8 or 9); none when the check digit would be 10. */
export function organisationNumber(head: string): string {
  for (let last = 0; last < 100; last++) {
    const candidate = `${head.slice(0, 6)}${String((Number(head.slice(6, 8)) + last) % 100).padStart(2, '0')}`;
    const check = mod11CheckDigit(Array.from(candidate, Number), [3, 2, 7, 6, 5, 4, 3, 2]);
    if (check !== null) return `${candidate}${check}`;
  }
  throw new Error('no valid number');
}

/** The same number with a wrong check digit. */
export function withWrongCheckDigit(number: string): string {
  return `${number.slice(0, 8)}${(Number(number[8]) + 1) % 10}`;
}

/**
 * Two organisations: the first with a salesperson, an admin, a coordinator and a clinician, the
 * second with its own salesperson (for "another organisation's ids are not found").
 */
export async function crmSetting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const otherOrganisation = await createOrganisation(db);
  const salesUser = await createUser(db, organisation.id, { roles: ['sales'], displayName: 'Selger Siri' });
  const adminUser = await createUser(db, organisation.id, { roles: ['admin'], displayName: 'Admin Arne' });
  const coordinatorUser = await createUser(db, organisation.id, { roles: ['coordinator'], displayName: 'Koordinator Kari' });
  const clinicianUser = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Ute' });
  const otherSalesUser = await createUser(db, otherOrganisation.id, { roles: ['sales'], displayName: 'Selger Annen' });
  const as = async (user: TestUser, extra: { clientIp?: string } = {}) => callerAs(database, (await login(database, user, clock)).token, clock, extra);
  const [sales, admin, coordinator, clinician, otherSales] = [await as(salesUser, { clientIp: '198.51.100.7' }), await as(adminUser), await as(coordinatorUser), await as(clinicianUser), await as(otherSalesUser)];
  return { clock, db, organisation, otherOrganisation, salesUser, adminUser, coordinatorUser, clinicianUser, otherSalesUser, sales, admin, coordinator, clinician, otherSales, as };
}

export type CrmSetting = Awaited<ReturnType<typeof crmSetting>>;

/** A company made through the procedure, with optional fields. */
export async function newCompany(s: CrmSetting, overrides: Record<string, unknown> = {}) {
  return s.sales.crm.createCompany({ name: 'Fjordkraft Testselskap AS', city: 'Bergen', industry: 'Energi', ...overrides } as never);
}

/** A contact made through the procedure; by default with consent for account follow-up and direct sales on legitimate interest. */
export async function newContact(s: CrmSetting, companyId: string, overrides: Record<string, unknown> = {}) {
  return s.sales.crm.createContact({
    companyId,
    fullName: 'Kari Nordmann',
    jobTitle: 'Innkjøpssjef',
    email: 'kari.nordmann@fjordkraft.example',
    phone: '+47 22 33 44 55',
    bases: [
      { purpose: 'account_follow_up', basis: 'consent', source: 'meeting', evidence: 'Sa ja i møte 20.11.2026' },
      { purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Proff.no: innkjøpssjef' },
    ],
    ...overrides,
  } as never);
}

/** The outcome of a call as a code: OK, or the error's tRPC code. */
export const outcome = (call: Promise<unknown>): Promise<string> =>
  call.then(
    () => 'OK',
    (error: unknown) => (error as { code?: string }).code ?? 'THROWN',
  );
