import { mod11CheckDigit } from '../../../src/shared/national-identity-number';
import type { Database } from '../../../src/server/db/database';
import { callerAs, createOrganisation, createUser, login, TestClock, type TestUser } from '../support/identity';
import type { TestDatabase } from '../support/test-database';

/** The test clock's day (2026-11-22, Oslo). */
export const TODAY = '2026-11-22';

/** A valid fødselsnummer (not synthetic) for a birth date, the individual number from `serial` (0…240). */
export function nationalIdFor(dateOfBirth: string, serial = 0): string {
  const [year, month, day] = dateOfBirth.split('-') as [string, string, string];
  for (let individual = (Number(year) >= 2000 ? 500 : 0) + serial * 2; ; individual += 1) {
    const head = `${day}${month}${year.slice(2)}${String(individual).padStart(3, '0')}`;
    const digits = Array.from(head, Number);
    const k1 = mod11CheckDigit(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    if (k1 === null) continue;
    const k2 = mod11CheckDigit([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k2 === null) continue;
    return `${head}${k1}${k2}`;
  }
}

/** `count` distinct valid numbers (different birth dates and individual numbers). */
export function nationalIds(count: number): string[] {
  const numbers = new Set<string>();
  for (let index = 0; numbers.size < count; index++) {
    const day = String(1 + (index % 28)).padStart(2, '0');
    const month = String(1 + (Math.floor(index / 28) % 12)).padStart(2, '0');
    const year = 1950 + (Math.floor(index / 336) % 50);
    numbers.add(nationalIdFor(`${year}-${month}-${day}`, Math.floor(index / 16_800) % 200));
  }
  return [...numbers];
}

/** A company made directly (the CRM's own procedures have their own tests). */
export async function insertCompany(db: Database, organisationId: string, options: { status?: 'lead' | 'prospect' | 'customer' | 'former'; name?: string } = {}): Promise<string> {
  const now = new Date('2026-11-01T09:00:00Z');
  const row = await db
    .insertInto('company')
    .values({ organisation_id: organisationId, name: options.name ?? 'Fjordkraft Testbedrift AS', status: options.status ?? 'customer', status_changed_at: now, source: 'manual', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function portalSetting(database: TestDatabase) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db);
  const other = await createOrganisation(db);
  const salesUser = await createUser(db, organisation.id, { roles: ['sales'], displayName: 'Selger Siri' });
  const adminUser = await createUser(db, organisation.id, { roles: ['admin'], displayName: 'Admin Arne' });
  const clinicianUser = await createUser(db, organisation.id, { roles: ['clinician'] });
  const coordinatorUser = await createUser(db, organisation.id, { roles: ['coordinator'] });
  const otherSalesUser = await createUser(db, other.id, { roles: ['sales'] });
  const as = async (user: TestUser, extra: { clientIp?: string } = {}) => callerAs(database, (await login(database, user, clock)).token, clock, extra);
  const [sales, admin, clinician, coordinator, otherSales] = [await as(salesUser, { clientIp: '203.0.113.7' }), await as(adminUser), await as(clinicianUser), await as(coordinatorUser), await as(otherSalesUser)];
  const companyId = await insertCompany(db, organisation.id);
  return { clock, db, organisation, other, salesUser, adminUser, sales, admin, clinician, coordinator, otherSales, companyId, as };
}

export type PortalSetting = Awaited<ReturnType<typeof portalSetting>>;

/** A customer with an agreement running from 2026-01-01, made through the procedure. */
export async function withAgreement(setting: PortalSetting, companyId = setting.companyId, endsOn: string | null = null) {
  return setting.sales.portal.saveAgreement({ companyId, startsOn: '2026-01-01', endsOn, services: ['occupational_health', 'psychologist'], reference: 'AVT-2026-01' });
}
