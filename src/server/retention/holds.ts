import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../db/database';
import type { PersonIdentifiers, PersonItem } from './category';

/**
 * Legal holds (DPO-5, DPO-6): records in `legal_hold` that stop both the scheduled retention and
 * erasure in a data-subject request. A hold's scope is a person, a whole category or one object.
 * Failing closed: the hold check is part of the very query that selects what is due (an unreadable
 * `legal_hold` fails the batch, which then changes nothing), and the erasure plan reads the holds
 * before it decides anything (an error there aborts the plan and the run).
 */

/** The register's code for what a hold keeps. */
export const LEGAL_HOLD_GROUND = 'legal_hold';

/** Where a category's table keeps the person's identifiers, as SQL references (null: the table has none). */
export interface HoldColumns {
  organisationId: RawBuilder<unknown>;
  id: RawBuilder<unknown>;
  patientId?: RawBuilder<unknown>;
  email?: RawBuilder<unknown>;
  phone?: RawBuilder<unknown>;
  nationalIdHmac?: RawBuilder<unknown>;
  /**
   * The number itself, where the table also keeps it plain beside its keyed hash (a booking). A row
   * with a number whose hash is not yet written cannot be told apart from the held person's: while
   * any person hold by number is in force, such a row counts as held (failing closed).
   */
  nationalIdPlain?: RawBuilder<unknown>;
}

/** Digits and a leading plus only: '+47 955 66 778' and '+4795566778' are one number. */
export function normalisePhone(phone: string): string {
  return phone.replace(/[^0-9+]/g, '');
}

const normalisedPhoneSql = (ref: RawBuilder<unknown>) => sql`regexp_replace(${ref}, '[^0-9+]', '', 'g')`;

/**
 * "No hold in force covers this row": for a category's due scan. A person hold covers the row when
 * any identifier the table keeps matches the hold's. A hold keeps the national identity number as
 * its keyed hash (the key never enters the database); a table holding the number plain keeps the
 * hash beside it (`nationalIdHmac`), and an unhashed row fails closed (`nationalIdPlain`).
 */
export function notHeld(category: string, columns: HoldColumns): RawBuilder<boolean> {
  const person: RawBuilder<unknown>[] = [];
  if (columns.patientId) person.push(sql`h.patient_id = ${columns.patientId}`);
  if (columns.email) person.push(sql`h.email = lower(${columns.email})`);
  if (columns.phone) person.push(sql`h.phone = ${normalisedPhoneSql(columns.phone)}`);
  if (columns.nationalIdHmac) person.push(sql`h.national_id_hmac = ${columns.nationalIdHmac}`);
  if (columns.nationalIdPlain && columns.nationalIdHmac) {
    person.push(sql`(h.national_id_hmac is not null and ${columns.nationalIdPlain} is not null and ${columns.nationalIdHmac} is null)`);
  }
  const personMatch = person.length === 0 ? sql`false` : sql.join(person, sql` or `);
  return sql<boolean>`not exists (
    select 1 from legal_hold h
     where h.organisation_id = ${columns.organisationId} and h.lifted_at is null
       and ((h.scope = 'category' and h.category = ${category})
         or (h.scope = 'object' and h.category = ${category} and h.object_id = ${columns.id})
         or (h.scope = 'person' and (${personMatch}))))`;
}

interface ActiveHold {
  scope: 'person' | 'category' | 'object';
  category: string | null;
  objectId: string | null;
}

/**
 * The organisation's holds in force that bear on this person's data: every category and object
 * hold, and the person holds that match any of the person's identifiers. Throws when it cannot
 * read them: the caller then erases nothing.
 */
export async function activeHoldsFor(trx: Executor, organisationId: string, person: PersonIdentifiers): Promise<ActiveHold[]> {
  const match: RawBuilder<unknown>[] = [];
  if (person.patientId) match.push(sql`patient_id = ${person.patientId}`);
  if (person.nationalIdHmac) match.push(sql`national_id_hmac = ${person.nationalIdHmac}`);
  if (person.email) match.push(sql`email = ${person.email.toLowerCase()}`);
  if (person.phone) match.push(sql`phone = ${normalisePhone(person.phone)}`);
  const personMatch = match.length === 0 ? sql`false` : sql.join(match, sql` or `);
  const { rows } = await sql<ActiveHold>`
    select scope, category, object_id as "objectId" from legal_hold
     where organisation_id = ${organisationId} and lifted_at is null
       and (scope in ('category', 'object') or (scope = 'person' and (${personMatch})))`.execute(trx);
  return rows;
}

/**
 * The items with the holds applied: a held item is kept, on the ground of the hold. An item awaiting
 * someone's confirmation is held too: no confirmation erases it while the hold is in force.
 */
export function applyHolds(category: string, items: readonly PersonItem[], holds: readonly ActiveHold[]): PersonItem[] {
  const isPersonHeld = holds.some((hold) => hold.scope === 'person');
  const isCategoryHeld = holds.some((hold) => hold.scope === 'category' && hold.category === category);
  const heldObjects = new Set(holds.filter((hold) => hold.scope === 'object' && hold.category === category).map((hold) => hold.objectId));
  return items.map((item) => {
    if ((item.action === 'keep' && !item.awaits) || !(isPersonHeld || isCategoryHeld || heldObjects.has(item.id))) return item;
    const { awaits: _awaits, ...held } = item;
    return { ...held, action: 'keep', groundCode: LEGAL_HOLD_GROUND };
  });
}
