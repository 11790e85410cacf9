import { randomUUID } from 'node:crypto';
import type { SecretBox } from '../auth/secret-box';
import type { Executor } from '../db/database';
import { osloCalendarDate } from '../../shared/oslo-time';
import { protectNationalId } from '../portal/national-id';
import { syntheticNationalId } from './journal-seed';

/**
 * The corporate portal's demo (CRM-4): a customer with a running agreement and a few hundred
 * employees, every one a made-up person with a synthetic fødselsnummer (Tenor, month + 80), which
 * only a demo installation accepts. The customer is the CRM demo's Fjellheim Bygg AS. Deterministic: the sample CSV under resources/demo/ is made
 * from the same people (scripts/demo-employee-csv.ts), so importing it shows creates, updates,
 * skips and errors against this list.
 */

/** The CRM demo's customer (crm-seed.ts) whose employees the portal holds; made here if the CRM's demo is not seeded. */
export const DEMO_CUSTOMER = { name: 'Fjellheim Bygg AS', city: 'Oslo', mailDomain: 'fjellheim-bygg.example', customerForDays: 60 } as const;
export const DEMO_EMPLOYEE_COUNT = 300;

const GIVEN_NAMES = ['Anne', 'Bjørn', 'Camilla', 'Dag', 'Eli', 'Frode', 'Guro', 'Håkon', 'Ingrid', 'Jon', 'Kari', 'Lars', 'Marit', 'Nils', 'Oda', 'Per', 'Ragnhild', 'Sindre', 'Tone', 'Ulf', 'Vigdis', 'Øystein', 'Åse', 'Eirik'];
const FAMILY_NAMES = ['Hansen', 'Johansen', 'Olsen', 'Larsen', 'Andersen', 'Pedersen', 'Nilsen', 'Kristiansen', 'Jensen', 'Karlsen', 'Berg', 'Haugen', 'Hagen', 'Eriksen', 'Solberg', 'Bakken', 'Strand', 'Lie', 'Dahl', 'Moen', 'Sæther', 'Ødegård', 'Aasen', 'Nygård'];
const FEMALE_NAMES = new Set(['Anne', 'Camilla', 'Eli', 'Guro', 'Ingrid', 'Kari', 'Marit', 'Oda', 'Ragnhild', 'Tone', 'Vigdis', 'Åse']);

export interface DemoEmployee {
  fullName: string;
  nationalId: string;
  phone: string | null;
  email: string | null;
}

/** The ASCII form of a name for an e-mail address (æøå spelled out). */
function mailPart(name: string): string {
  return name.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'aa');
}

/** Demo person `index` (0-based): the same every time, unique numbers. */
export function demoEmployee(index: number): DemoEmployee {
  const given = GIVEN_NAMES[index % GIVEN_NAMES.length]!;
  const family = FAMILY_NAMES[Math.floor(index / GIVEN_NAMES.length) % FAMILY_NAMES.length]!;
  const gender = FEMALE_NAMES.has(given) ? 'female' : 'male';
  const year = 1960 + (index % 40);
  const month = String(1 + ((index * 7) % 12)).padStart(2, '0');
  const day = String(1 + ((index * 11) % 28)).padStart(2, '0');
  return {
    fullName: `${given} ${family}`,
    nationalId: syntheticNationalId(`${year}-${month}-${day}`, index + 1, gender),
    // Every fourth without a phone, every third without an e-mail: as HR lists are.
    phone: index % 4 === 3 ? null : `+479${String(1_000_000 + index * 7_919).slice(-7)}`,
    email: index % 3 === 2 ? null : `${mailPart(given)}.${mailPart(family)}${index}@${DEMO_CUSTOMER.mailDomain}`,
  };
}

export function demoEmployees(count = DEMO_EMPLOYEE_COUNT): DemoEmployee[] {
  const seen = new Set<string>();
  return Array.from({ length: count }, (_, index) => {
    const employee = demoEmployee(index);
    if (seen.has(employee.nationalId)) throw new Error(`demo employee ${index} repeats a number`);
    seen.add(employee.nationalId);
    return employee;
  });
}

/** The customer, its agreement (running since January) and its employees, sealed as the portal stores them. */
export async function seedDemoPortal(trx: Executor, people: { organisationId: string; salg: string }, secretBox: SecretBox, now: Date): Promise<{ companyId: string }> {
  const customerSince = new Date(now.getTime() - DEMO_CUSTOMER.customerForDays * 86_400_000);
  const existing = await trx.selectFrom('company').select('id').where('organisation_id', '=', people.organisationId).where('name', '=', DEMO_CUSTOMER.name).executeTakeFirst();
  const company =
    existing ??
    (await trx
      .insertInto('company')
      .values({
        organisation_id: people.organisationId,
        name: DEMO_CUSTOMER.name,
        city: DEMO_CUSTOMER.city,
        status: 'customer',
        status_changed_at: customerSince,
        source: 'manual',
        owner_id: people.salg,
        created_at: customerSince,
        created_by: people.salg,
        updated_at: customerSince,
      })
      .returning('id')
      .executeTakeFirstOrThrow());
  // The agreement from the day the company became a customer.
  const agreement = await trx
    .insertInto('corporate_agreement')
    .values({
      organisation_id: people.organisationId,
      company_id: company.id,
      starts_on: osloCalendarDate(customerSince),
      ends_on: null,
      services: ['occupational_health', 'gp_consultations', 'psychologist'],
      reference: 'BHT-2026-017',
      created_at: customerSince,
      updated_at: customerSince,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rows = demoEmployees().map((employee) => {
    const id = randomUUID();
    return {
      id,
      organisation_id: people.organisationId,
      company_id: company.id,
      agreement_id: agreement.id,
      full_name: employee.fullName,
      phone: employee.phone,
      email: employee.email,
      ...protectNationalId(secretBox, id, employee.nationalId),
      created_at: now,
      created_by: people.salg,
      updated_at: now,
    };
  });
  for (let offset = 0; offset < rows.length; offset += 100) await trx.insertInto('corporate_employee').values(rows.slice(offset, offset + 100)).execute();
  return { companyId: company.id };
}
