import { randomUUID } from 'node:crypto';
import type { AnyTRPCProcedure } from '@trpc/server';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import { appRouter } from '../../../src/server/router';
import type { ProcedureMeta } from '../../../src/server/trpc';
import { mod11CheckDigit, parseNationalIdentityNumber } from '../../../src/shared/national-identity-number';
import { ROLES } from '../../../src/shared/roles';
import { callerAs, createOrganisation, createUser, login, TEST_PASSWORD, type TestUser, TestClock } from '../support/identity';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { buildTestApp, testConfig } from '../support/test-server';

/*
 * PLAT-6: every procedure of the router, called over HTTP with bad input, answers 4xx (never 5xx)
 * and writes nothing. The procedures and their fields come from the router itself (the input zod
 * schemas are introspected), so a new procedure or field is fuzzed without anyone listing it here.
 *
 * Each request starts from a base input that passes the procedure's schema and names real objects
 * of the organisation (a patient, notes, a consent, a share, a block, colleagues), so that a value
 * the schema lets through goes on to the service and the database; then one field at a time (or the
 * whole input) is replaced by something bad. The caller holds every role and a fresh second factor,
 * so no request stops at the access check by accident; the same inputs are also sent anonymously.
 */

/**
 * The app under fuzz. Kept in one place so that limits added later (rate limits per procedure,
 * batch caps) can be configured for this test instead of turning its requests into 429s.
 */
function fuzzAppOptions(clock: TestClock): Parameters<typeof buildTestApp>[1] {
  // PLAT-9's limits are tested in tests/integration/auth/attack-limits.int.test.ts; here they are
  // wide enough for thousands of requests from one address. The batch cap stays as configured.
  const limits = testConfig().limits;
  return {
    now: clock.now,
    config: {
      limits: { ...limits, authPerAddress: 100_000, authOverall: 10_000_000, publicPerAddress: 100_000, publicOverall: 10_000_000, argon2: { ...limits.argon2, perAddress: 64, queue: 1000 } },
    },
  };
}

type Procedure = AnyTRPCProcedure & { _def: AnyTRPCProcedure['_def'] & { inputs: z.core.$ZodType[]; meta?: ProcedureMeta } };
const PROCEDURES = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>).sort(([a], [b]) => a.localeCompare(b));

// ---------------------------------------------------------------------------------------------
// Introspecting zod 4 schemas
// ---------------------------------------------------------------------------------------------

type AnyDef = { type: string; [key: string]: unknown };
const defOf = (schema: z.core.$ZodType): AnyDef => schema._zod.def as unknown as AnyDef;

/** Strips the wrappers that do not change what a field is (optional, default, pipes into transforms…). */
function unwrap(schema: z.core.$ZodType): { core: z.core.$ZodType; isOptional: boolean } {
  let current = schema;
  let isOptional = false;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    if (def.type === 'optional' || def.type === 'default' || def.type === 'prefault') {
      isOptional = true;
      current = def.innerType as z.core.$ZodType;
    } else if (def.type === 'nullable' || def.type === 'readonly' || def.type === 'catch' || def.type === 'nonoptional') {
      current = def.innerType as z.core.$ZodType;
    } else if (def.type === 'pipe') {
      current = def.in as z.core.$ZodType;
    } else {
      break;
    }
  }
  return { core: current, isOptional };
}

type Kind = 'string' | 'date' | 'datetime' | 'number' | 'boolean' | 'choice' | 'array' | 'object' | 'other';

function kindOf(core: z.core.$ZodType): Kind {
  const def = defOf(core);
  if (def.type === 'string') return def.format === 'date' ? 'date' : def.format === 'datetime' ? 'datetime' : 'string';
  if (def.type === 'number' || def.type === 'bigint') return 'number';
  if (def.type === 'boolean') return 'boolean';
  if (def.type === 'enum' || def.type === 'literal') return 'choice';
  if (def.type === 'array') return 'array';
  if (def.type === 'object') return 'object';
  return 'other';
}

interface Field {
  /** Path from the input's root, e.g. ['after', 'createdAt'] or ['noteIds', 0]. */
  path: (string | number)[];
  kind: Kind;
  schema: z.core.$ZodType;
}

/** Every field of an input schema at every depth (array elements as index 0). */
function fieldsOf(schema: z.core.$ZodType, path: (string | number)[] = []): Field[] {
  const { core } = unwrap(schema);
  const def = defOf(core);
  const fields: Field[] = [];
  if (def.type === 'object') {
    for (const [key, child] of Object.entries(def.shape as Record<string, z.core.$ZodType>)) {
      const { core: childCore } = unwrap(child);
      fields.push({ path: [...path, key], kind: kindOf(childCore), schema: child });
      fields.push(...fieldsOf(child, [...path, key]).filter((field) => field.path.length > path.length + 1));
    }
  } else if (def.type === 'union') {
    // Every alternative's fields, each once: a bad value in any of them must be refused alike.
    const seen = new Set<string>();
    for (const option of def.options as z.core.$ZodType[]) {
      for (const field of fieldsOf(option, path)) {
        const key = field.path.join('.');
        if (!seen.has(key)) fields.push(field);
        seen.add(key);
      }
    }
  } else if (def.type === 'array') {
    const element = def.element as z.core.$ZodType;
    fields.push({ path: [...path, 0], kind: kindOf(unwrap(element).core), schema: element });
    fields.push(...fieldsOf(element, [...path, 0]).filter((field) => field.path.length > path.length + 1));
  }
  return fields;
}

// ---------------------------------------------------------------------------------------------
// Base inputs: valid for the schema, naming real objects
// ---------------------------------------------------------------------------------------------

interface Seeded {
  patientId: string;
  draftNoteId: string;
  signedNoteId: string;
  deletableNoteId: string;
  consentId: string;
  shareId: string;
  blockId: string;
  colleagueId: string;
  otherColleagueId: string;
  /** CRM-1…3: a company with a contact (consent for every purpose) and a task; the fuzzing user is a salesperson too. */
  companyId: string;
  contactId: string;
  taskId: string;
  sellerId: string;
  /** CRM-4: the company as a customer with an agreement, one employee, and an employee import inspected but not validated. */
  employeeId: string;
  importId: string;
}

let sequence = 0;

/** A valid fødselsnummer (born in the 1900s), new on every call: a registration is not refused as a duplicate. */
function nextNationalId(): string {
  for (;;) {
    const n = ++sequence;
    const day = String((n % 28) + 1).padStart(2, '0');
    const month = String((Math.floor(n / 28) % 12) + 1).padStart(2, '0');
    const year = String(50 + (Math.floor(n / 336) % 50)).padStart(2, '0');
    const individual = String(100 + (n % 400)).padStart(3, '0');
    const nine = `${day}${month}${year}${individual}`;
    const digits = Array.from(nine, Number);
    const k1 = mod11CheckDigit(digits, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    const k2 = k1 === null ? null : mod11CheckDigit([...digits, k1], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    if (k1 === null || k2 === null) continue;
    const candidate = `${nine}${k1}${k2}`;
    if (parseNationalIdentityNumber(candidate).ok) return candidate;
  }
}

let lastNationalId = nextNationalId();

function statedBy(nationalId: string): { birthDate: string; gender: 'female' | 'male' } {
  const parsed = parseNationalIdentityNumber(nationalId);
  if (!parsed.ok) throw new Error('nextNationalId gives valid numbers');
  return parsed;
}

/**
 * Values by field name: real ids of the seeded objects, and the few strings no generic candidate
 * would produce. Everything else is the first generic candidate the field's schema accepts.
 */
function valuesByName(seeded: Seeded, clock: TestClock): Record<string, () => unknown> {
  const inDays = (days: number) => new Date(clock.now().getTime() + days * 86_400_000).toISOString();
  return {
    patientId: () => seeded.patientId,
    noteId: () => seeded.signedNoteId,
    noteIds: () => [seeded.signedNoteId],
    consentId: () => seeded.consentId,
    shareId: () => seeded.shareId,
    blockId: () => seeded.blockId,
    userId: () => seeded.colleagueId,
    granteeId: () => seeded.colleagueId,
    blockedUserId: () => seeded.otherColleagueId,
    nationalId: () => (lastNationalId = nextNationalId()),
    // JRN-1: a patient's date of birth and gender are those of the number given before them.
    dateOfBirth: () => statedBy(lastNationalId).birthDate,
    gender: () => statedBy(lastNationalId).gender,
    email: () => `fuzz${++sequence}@test.example`,
    password: () => TEST_PASSWORD,
    endsAt: () => inDays(30),
    givenAt: () => inDays(-1),
    // VIS-1: a home visit wanted tomorrow morning, within the booking horizon.
    postcode: () => '0150',
    earliestAt: () => inDays(1),
    latestAt: () => inDays(1.25),
    idempotencyKey: () => `fuzz-${randomUUID()}`,
    companyId: () => seeded.companyId,
    contactId: () => seeded.contactId,
    taskId: () => seeded.taskId,
    ownerId: () => seeded.sellerId,
    employeeId: () => seeded.employeeId,
    importId: () => seeded.importId,
    // DPO-5: an erasure plan's hash is 64 hex digits (SHA-256).
    planHash: () => 'a'.repeat(64),
    // DPO-7: a data processor's country is a two-letter code.
    country: () => 'NO',
  };
}

/** Per procedure, where the field name alone does not say which object makes a good base. */
function overridesFor(seeded: Seeded, clock: TestClock): Record<string, Record<string, () => unknown>> {
  const inHours = (hours: number) => new Date(clock.now().getTime() + hours * 3_600_000).toISOString();
  return {
    // A shift lasts at most a day: a start and an end from the same working day.
    'visits.createShift': { startsAt: () => inHours(1), endsAt: () => inHours(9), doctorId: () => seeded.colleagueId },
    'journal.saveDraft': { noteId: () => seeded.draftNoteId },
    // DPO-6: each period within its own bounds (a lead's contacts stay at least 30 days).
    'retention.updateSchedule': { bookingRetentionDays: () => 7, crmLeadRetentionDays: () => 365, crmEmployeeRetentionDays: () => 30 },
    // Deleting the shared signed note would leave the procedures fuzzed after it only "not found".
    'journal.deleteNote': { noteId: () => seeded.deletableNoteId },
    // CRM-4: a chunk is base64; the next one the seeded import would take is index 1.
    'portal.import.uploadChunk': { data: () => Buffer.from('Navn;Fødselsnummer').toString('base64'), index: () => 1 },
  };
}

function genericStrings(clock: TestClock): string[] {
  const yesterday = new Date(clock.now().getTime() - 86_400_000);
  return [
    'Fuzz-verdi for feltet',
    yesterday.toISOString().slice(0, 10),
    yesterday.toISOString(),
    randomUUID(),
    '+4791234567',
    '123456',
    'abcd-efgh-jkmn',
    'A'.repeat(43),
    '1',
  ];
}

interface BaseContext {
  byName: Record<string, () => unknown>;
  strings: string[];
}

function accepts(schema: z.core.$ZodType, value: unknown): boolean {
  return (schema as unknown as z.ZodType).safeParse(value).success;
}

/** A value the schema accepts, as close to real use as the names allow (undefined when none is found). */
function baseValue(schema: z.core.$ZodType, name: string | undefined, context: BaseContext): unknown {
  const named = name !== undefined ? context.byName[name] : undefined;
  if (named) {
    const value = named();
    if (accepts(schema, value)) return value;
  }
  const { core } = unwrap(schema);
  const def = defOf(core);
  switch (def.type) {
    case 'object': {
      const shape = def.shape as Record<string, z.core.$ZodType>;
      const required: Record<string, unknown> = {};
      const optional: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(shape)) {
        const value = baseValue(child, key, context);
        if (unwrap(child).isOptional) optional[key] = value;
        else required[key] = value;
      }
      // Required fields alone, else with one optional field (refinements such as "code or
      // recovery code" want exactly one), else everything.
      const candidates = [required, ...Object.entries(optional).map(([key, value]) => ({ ...required, [key]: value })), { ...required, ...optional }];
      return candidates.find((candidate) => accepts(schema, candidate)) ?? { ...required, ...optional };
    }
    case 'union': {
      // The first alternative the whole schema accepts (visits.linkPatient: by patient id, or by number).
      const options = (def.options as z.core.$ZodType[]).map((option) => baseValue(option, name, context));
      return options.find((option) => accepts(schema, option)) ?? options[0];
    }
    case 'array': {
      if (accepts(schema, [])) return [];
      return [baseValue(def.element as z.core.$ZodType, undefined, context)];
    }
    case 'enum':
      return Object.values(def.entries as Record<string, unknown>)[0];
    case 'literal':
      return (def.values as unknown[])[0];
    case 'boolean':
      return true;
    case 'number':
      return [1, 25, 0].find((value) => accepts(schema, value)) ?? 1;
    case 'string':
      return context.strings.find((value) => accepts(schema, value));
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Bad values
// ---------------------------------------------------------------------------------------------

const HUGE = 'x'.repeat(100_001);
/** Nested arrays far deeper than any input: must be refused without a stack overflow. */
const DEEP: unknown = Array.from({ length: 2_000 }).reduce<unknown>((inner) => [inner], 'deep');
const LONE_SURROGATES = ['\ud800', 'Kari \udfff Nordmann'];
const EXTREME_DATES = ['0000-01-01', '9999-12-31', '-000001-01-01', '275760-09-13', '+275760-09-13', '1899-12-31', '2026-02-30'];
const EXTREME_DATETIMES = [
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '0000-01-01T00:00:00+14:00',
  '1969-12-31T23:59:59Z',
];
// Few values per class, chosen to differ in what they break: the request count stays bounded
// (it grows with every field of every procedure) and the run fast on both databases.
const WRONG_TYPES: unknown[] = [1e308, null, {}, ['x']];
const BAD_STRINGS = ['', 'x', 'Kari\u0000Nordmann', HUGE, '9999999999999999999'];

type Label = 'wrong type' | 'bad string' | 'lone surrogate' | 'extreme date' | 'missing';

function badValuesFor(field: Field): [Label, unknown][] {
  const values: [Label, unknown][] = [
    ...WRONG_TYPES.map((value): [Label, unknown] => ['wrong type', value]),
    ...BAD_STRINGS.map((value): [Label, unknown] => ['bad string', value]),
    ...LONE_SURROGATES.map((value): [Label, unknown] => ['lone surrogate', value]),
    ['missing', undefined],
  ];
  const dates = field.kind === 'date' ? [...EXTREME_DATES, ...EXTREME_DATETIMES.slice(0, 2)] : field.kind === 'datetime' ? [...EXTREME_DATETIMES, ...EXTREME_DATES.slice(0, 2)] : [EXTREME_DATES[0]];
  values.push(...dates.map((value): [Label, unknown] => ['extreme date', value]));
  return values;
}

/** A copy of `base` with the value at `path` replaced (undefined removes the key). */
function withValue(base: unknown, path: (string | number)[], value: unknown, fill: (path: (string | number)[]) => unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container: Record<string | number, unknown> | unknown[] = Array.isArray(base) ? [...base] : typeof base === 'object' && base !== null ? { ...base } : typeof head === 'number' ? [] : {};
  const current = (container as Record<string | number, unknown>)[head] ?? fill(path.slice(0, 1));
  (container as Record<string | number, unknown>)[head] = withValue(current, rest, value, (more) => fill([head, ...more]));
  if (value === undefined && rest.length === 0 && !Array.isArray(container)) delete (container as Record<string | number, unknown>)[head];
  return container;
}

/** A raw request body, for what JSON.stringify cannot produce. */
class RawBody {
  constructor(readonly text: string) {}
}
const NO_INPUT = Symbol('no input');

function wholeInputCases(base: unknown): [string, unknown][] {
  return [
    ['no input at all', NO_INPUT],
    ['null', null],
    ['a string', 'x'],
    ['a number', 42],
    ['an array where an object is expected', []],
    ['the input inside an array', [base]],
    ['an extra field', typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...base, fuzzExtra: true } : { fuzzExtra: true }],
    ['deep nesting', DEEP],
    ['deep nesting in a field', typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...base, [Object.keys(base)[0] ?? 'field']: DEEP } : { field: DEEP }],
    ['a __proto__ key', new RawBody('{"__proto__":{"isAdmin":true}}')],
    ['malformed JSON', new RawBody('{"givenName": Kari Nordmann}')],
  ];
}

// ---------------------------------------------------------------------------------------------
// Watching the database
// ---------------------------------------------------------------------------------------------

/**
 * Row count and the newest row version (xmin) of every table: an insert or delete changes the
 * count, an update the newest xmin, while a rolled-back write leaves both as they were. Extra
 * entries single out what a refusal may legitimately change (see `unexpectedWrites`).
 */
async function snapshotQuery(database: TestDatabase): Promise<() => Promise<Record<string, string>>> {
  const tables = await sql<{ tablename: string }>`
    select tablename from pg_tables where schemaname = current_schema() and tablename not like 'kysely_%' order by tablename`.execute(database.db);
  expect(tables.rows.length).toBeGreaterThan(10);
  const parts = tables.rows.map(
    ({ tablename }) => sql`select ${tablename}::text as name, (select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from ${sql.table(tablename)})::text as value`,
  );
  parts.push(sql`select 'audit_event.allowed', (select count(*) from audit_event where outcome = 'allowed')::text`);
  // app_user without the failure counters a refused login or unlock is meant to update (AUTH-4).
  parts.push(
    sql`select 'app_user.core', (select md5(coalesce(string_agg(concat_ws('|', id, email, display_name, phone, profession, hpr_number, status, password_hash,
      totp_secret_encrypted, totp_enrolled_at, is_locked_by_admin), ',' order by id), '')) from app_user)`,
  );
  const query = sql.join(parts, sql` union all `);
  return async () => {
    const result = await sql<{ name: string; value: string }>`${query}`.execute(database.db);
    return Object.fromEntries(result.rows.map((row) => [row.name, row.value]));
  };
}

/**
 * The first transaction id not yet handed out. A request that wrote nothing (not even something it
 * rolled back) leaves it as it was, so the full snapshot is taken only after requests that did
 * write: that keeps thousands of requests fast.
 */
async function nextTransactionId(database: TestDatabase): Promise<string> {
  const result = await sql<{ next: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as next`.execute(database.db);
  return result.rows[0]?.next ?? '';
}

const countOf = (value: string | undefined) => value?.split(':')[0];

/**
 * What a refused request changed that it should not have. Bad input (400) changes nothing but the
 * session's last-seen time (every authenticated request touches it before the input is read).
 * Other refusals (401, 403, 404, 429) also leave their denial events in the audit log (ACC-5) and
 * may count a failed password or code against the account (AUTH-4); nothing else.
 */
function unexpectedWrites(before: Record<string, string>, after: Record<string, string>, status: number): string[] {
  const changed: string[] = [];
  for (const [name, value] of Object.entries(before)) {
    if (after[name] === value) continue;
    if (name === 'session' && countOf(after[name]) === countOf(value)) continue;
    // PLAT-9: a rate limit counts every attempt, refused or not; that is its whole point.
    if (name === 'rate_limit_counter') continue;
    // AUTH-4: a refused login or code counts towards the lockout of its account and source.
    if (status !== 400 && name === 'login_failure') continue;
    if (status !== 400 && name === 'app_user' && countOf(after[name]) === countOf(value) && after['app_user.core'] === before['app_user.core']) continue;
    if (status !== 400 && name === 'audit_event' && after['audit_event.allowed'] === before['audit_event.allowed']) continue;
    changed.push(`${name} ${value} → ${after[name]}`);
  }
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Translations
// ---------------------------------------------------------------------------------------------

function flatten(catalogue: object, prefix = ''): Set<string> {
  const keys = new Set<string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'object' && value !== null) for (const leaf of flatten(value as object, path)) keys.add(leaf);
    else keys.add(path);
  }
  return keys;
}
const NB_KEYS = flatten(nb);
const EN_KEYS = flatten(en);

// ---------------------------------------------------------------------------------------------
// The fuzz
// ---------------------------------------------------------------------------------------------

interface FieldErrorBody {
  field: string;
  messageKey: string;
}
interface Answer {
  status: number;
  message: string | undefined;
  fieldErrors: FieldErrorBody[] | undefined;
  /** tRPC's error code (BAD_REQUEST for bad input). */
  code: string | undefined;
  body: string;
}

/**
 * In the bad values: a name, standing for the personal data a refusal must never echo (the
 * parser's message for a body that is not JSON used to quote it).
 */
const PERSONAL_MARKER = 'Kari';
/** What an error message must look like: a code the renderer translates, never prose. */
const MESSAGE_CODE = /^[a-z][a-zA-Z_]*(\.[a-zA-Z_]+)+$/;

const SESSION_ENDED = new Set(['auth.session_required', 'auth.session_expired', 'auth.session_locked']);

describe('PLAT-6: bad input to every procedure, over HTTP', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let clock: TestClock;
  let user: TestUser;
  let token: string;
  let seeded: Seeded;

  beforeAll(async () => {
    database = await createTestDatabase();
    clock = new TestClock();
    const organisation = await createOrganisation(database.db);
    user = await createUser(database.db, organisation.id, { roles: [...ROLES] });
    const colleague = await createUser(database.db, organisation.id, { roles: ['clinician'] });
    const otherColleague = await createUser(database.db, organisation.id, { roles: ['clinician'] });
    token = (await login(database, user, clock)).token;
    const caller = callerAs(database, token, clock);
    const nationalId = nextNationalId();
    // JRN-1: the record's date of birth and gender are the number's.
    const stated = statedBy(nationalId);
    const { patientId } = await caller.patients.register({ nationalId, givenName: 'Fuzz', familyName: 'Pasient', dateOfBirth: stated.birthDate, gender: stated.gender });
    const { noteId: draftNoteId } = await caller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-01', body: 'Et utkast.' });
    const { noteId: signedNoteId } = await caller.journal.createDraft({ patientId, noteType: 'phone', consultationDate: '2026-11-02', body: 'Et signert notat.' });
    await caller.journal.sign({ noteId: signedNoteId });
    const { noteId: deletableNoteId } = await caller.journal.createDraft({ patientId, noteType: 'other', consultationDate: '2026-11-03', body: 'Et notat som kan slettes.' });
    await caller.journal.sign({ noteId: deletableNoteId });
    const { consentId } = await caller.sharing.recordConsent({ patientId, givenBy: 'patient', method: 'verbal', givenAt: clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
    const { shareId } = await caller.sharing.grant({
      patientId,
      granteeId: colleague.id,
      consentId,
      scope: 'whole_journal',
      purpose: 'Veiledning',
      endsAt: new Date(clock.now().getTime() + 30 * 86_400_000).toISOString(),
    });
    const { blockId } = await caller.access.setBlock({ patientId, blockedUserId: otherColleague.id, scope: 'whole_journal', requestedAt: clock.now().toISOString() });
    const company = await caller.crm.createCompany({ name: 'Fuzz AS' });
    const contact = await caller.crm.createContact({
      companyId: company.id,
      fullName: 'Fuzz Kontakt',
      bases: (['account_follow_up', 'direct_sales', 'newsletter', 'event_invitations'] as const).map((purpose) => ({ purpose, basis: 'consent' as const, source: 'email' as const, evidence: 'Ja' })),
    });
    const task = await caller.crm.createTask({ companyId: company.id, contactId: contact.id, title: 'Ring', dueOn: '2026-12-01' });
    await database.db.updateTable('company').set({ status: 'customer' }).where('id', '=', company.id).execute();
    await caller.portal.saveAgreement({ companyId: company.id, startsOn: '2026-01-01', services: ['occupational_health'] });
    const { employee } = await caller.portal.addEmployee({ companyId: company.id, fullName: 'Fuzz Ansatt', nationalId: nextNationalId() });
    const file = Buffer.from(`Navn;Fødselsnummer\r\nFuzz Ansatt;${nextNationalId()}\r\n`, 'utf8');
    const { importId } = await caller.portal.import.create({ companyId: company.id, fileName: 'ansatte.csv', byteSize: file.length });
    await caller.portal.import.uploadChunk({ importId, index: 0, data: file.toString('base64') });
    await caller.portal.import.inspect({ importId });
    seeded = {
      patientId,
      draftNoteId,
      signedNoteId,
      deletableNoteId,
      consentId,
      shareId,
      blockId,
      colleagueId: colleague.id,
      otherColleagueId: otherColleague.id,
      companyId: company.id,
      contactId: contact.id,
      taskId: task.id,
      sellerId: user.id,
      employeeId: employee.id,
      importId,
    };
    app = await buildTestApp(database, fuzzAppOptions(clock));
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  async function send(path: string, type: string, input: unknown, bearer: string | undefined): Promise<Answer> {
    const headers: Record<string, string> = bearer ? { authorization: `Bearer ${bearer}` } : {};
    let response;
    if (type === 'query') {
      const query = input === NO_INPUT ? '' : `?input=${encodeURIComponent(input instanceof RawBody ? input.text : JSON.stringify(input) ?? '')}`;
      response = await app.inject({ method: 'GET', url: `/trpc/${path}${query}`, headers });
    } else {
      const payload = input === NO_INPUT ? undefined : input instanceof RawBody ? input.text : JSON.stringify(input);
      response = await app.inject({ method: 'POST', url: `/trpc/${path}`, headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' }, payload });
    }
    let body: { error?: { message?: string; data?: { code?: string; fieldErrors?: FieldErrorBody[] } } | string } = {};
    try {
      body = response.json();
    } catch {
      // Not JSON: judged by its status alone.
    }
    const error = typeof body.error === 'object' ? body.error : undefined;
    return { status: response.statusCode, message: error?.message, fieldErrors: error?.data?.fieldErrors, code: error?.data?.code, body: response.body };
  }

  it('PLAT-6: no 5xx, nothing written by a refused request, and every field error named and translated', { timeout: 600_000 }, async () => {
    const snapshot = await snapshotQuery(database);
    const context: BaseContext = { byName: valuesByName(seeded, clock), strings: genericStrings(clock) };
    const overrides = overridesFor(seeded, clock);
    const serverErrors: string[] = [];
    const writes: string[] = [];
    const unnamed: string[] = [];
    const untranslated = new Set<string>();
    const withoutFieldErrors: string[] = [];
    const prose = new Set<string>();
    /** Procedures where some bad value passed the schema and the call went through to the database. */
    const reached = new Set<string>();
    const echoed: string[] = [];
    const unparseableBases: string[] = [];
    let requests = 0;
    const started = performance.now();
    let state = await snapshot();
    let xid = await nextTransactionId(database);

    /** One request, judged; re-logs in (and retries) when an earlier request ended the session. */
    async function probe(path: string, type: string, input: unknown, label: string, options: { isAnonymous: boolean; isAdmitted: boolean; badField?: Field; badLabel?: Label }) {
      let answer = await send(path, type, input, options.isAnonymous ? undefined : token);
      requests++;
      if (!options.isAnonymous && answer.status === 401 && answer.message && SESSION_ENDED.has(answer.message)) {
        token = (await login(database, user, clock)).token;
        state = await snapshot();
        xid = await nextTransactionId(database);
        answer = await send(path, type, input, token);
        requests++;
      }
      const next = await nextTransactionId(database);
      const after = next === xid ? state : await snapshot();
      xid = next;
      const where = `${options.isAnonymous ? 'anonymous' : 'all roles'} ${path} ${label}`;
      if (answer.status < 300 && options.badField) reached.add(path);
      if (answer.status >= 500) serverErrors.push(`${where}: ${answer.status}`);
      else if (answer.status >= 400) {
        for (const change of unexpectedWrites(state, after, answer.status)) writes.push(`${where} (${answer.status}): ${change}`);
        for (const fieldError of answer.fieldErrors ?? []) {
          if (!NB_KEYS.has(fieldError.messageKey) || !EN_KEYS.has(fieldError.messageKey)) untranslated.add(`${fieldError.messageKey} (${path})`);
        }
        // A procedure's 400 says which field and why; the database backstop alone would not.
        // (A body that is not JSON has no field to name.)
        if (answer.code === 'BAD_REQUEST' && !answer.fieldErrors?.length && label !== 'malformed JSON') withoutFieldErrors.push(where);
        // Bad input is answered with a code, never with a parser's or validator's prose (which quotes input).
        if (answer.code === 'BAD_REQUEST' && !MESSAGE_CODE.test(answer.message ?? '')) prose.add(`${where}: ${answer.message?.slice(0, 80)}`);
        if (answer.body.includes(PERSONAL_MARKER)) echoed.push(where);
      }
      // Lone surrogates and dates PostgreSQL cannot hold are refused by the schema, naming the field.
      if (options.isAdmitted && options.badField && (options.badLabel === 'lone surrogate' || (options.badLabel === 'extreme date' && ['date', 'datetime'].includes(options.badField.kind)))) {
        const field = options.badField.path.join('.');
        const named = answer.status === 400 && (answer.fieldErrors ?? []).some((error) => error.field === field);
        if (!named) unnamed.push(`${where}: ${answer.status} ${JSON.stringify(answer.fieldErrors?.map((error) => `${error.field}:${error.messageKey}`) ?? answer.message)}`);
      }
      state = after;
    }

    for (const [path, procedure] of PROCEDURES) {
      const type = procedure._def.type;
      const schema = procedure._def.inputs[0];
      const isPublic = procedure._def.meta?.access?.kind === 'public';
      const byName = { ...context.byName, ...overrides[path] };
      const baseContext = { ...context, byName };
      const makeBase = () => (schema ? baseValue(schema, undefined, baseContext) : undefined);
      const firstBase = makeBase();
      if (schema && !accepts(schema, firstBase)) unparseableBases.push(`${path}: ${JSON.stringify(firstBase)}`);
      const fields = schema ? fieldsOf(schema) : [];

      // Public procedures are fuzzed anonymously, as an outsider calls them; the others with the
      // session of a user holding every role, and anonymously with a smaller set.
      const full = { isAnonymous: isPublic, isAdmitted: true };
      for (const [label, input] of wholeInputCases(firstBase)) await probe(path, type, input, label, full);
      for (const field of fields) {
        for (const [badLabel, value] of badValuesFor(field)) {
          const input = withValue(makeBase(), field.path, value, (prefix) => baseValue(subSchema(schema, prefix), String(prefix.at(-1)), baseContext));
          await probe(path, type, input, `${field.path.join('.')} = ${show(value)}`, { ...full, badField: field, badLabel });
        }
      }
      // The other caller: a few whole inputs, and one with a lone surrogate in every field at once.
      const other = { isAnonymous: !isPublic, isAdmitted: !isPublic };
      for (const [label, input] of wholeInputCases(firstBase).slice(0, 4)) await probe(path, type, input, label, other);
      const everyField = fields.reduce<unknown>(
        (input, field) => withValue(input, field.path, LONE_SURROGATES[0], (prefix) => baseValue(subSchema(schema, prefix), String(prefix.at(-1)), baseContext)),
        makeBase(),
      );
      if (fields.length > 0) await probe(path, type, everyField, 'a lone surrogate in every field', other);
    }

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`PLAT-6 fuzz: ${requests} requests over ${PROCEDURES.length} procedures in ${seconds} s on ${database.kind}; ${reached.size} procedures answered some bad value with success`);

    // Soft: one run reports every kind of finding, not only the first.
    expect.soft(unparseableBases, 'base inputs the schemas refuse: teach valuesByName the field').toEqual([]);
    expect.soft(serverErrors).toEqual([]);
    expect.soft(writes).toEqual([]);
    expect.soft(unnamed).toEqual([]);
    expect.soft([...untranslated]).toEqual([]);
    expect.soft(withoutFieldErrors).toEqual([]);
    expect.soft([...prose]).toEqual([]);
    expect.soft(echoed).toEqual([]);
    // The fuzz reached every procedure and a good many fields (a walk that found nothing would pass the rest).
    expect(PROCEDURES.length).toBeGreaterThan(40);
    expect(requests).toBeGreaterThan(1_500);
    // …and the base inputs were good enough that values the schemas accept went on to the services
    // and the database (free text that happens to look like a date, an optional field left out…).
    // Procedures that take only ids accept no bad value at all, so not every procedure is here.
    expect(reached.size).toBeGreaterThanOrEqual(10);
  });

  it('PLAT-6: the write check of the fuzz sees a committed update or insert, and not a rolled-back one', async () => {
    const snapshot = await snapshotQuery(database);
    const before = await snapshot();
    const xid = await nextTransactionId(database);
    await database.db
      .transaction()
      .execute(async (trx) => {
        await trx.updateTable('patient').set({ address: 'Rullet tilbake 1' }).where('id', '=', seeded.patientId).execute();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    // The rolled-back write used a transaction id, so the fuzz would look; and find nothing.
    expect(await nextTransactionId(database)).not.toBe(xid);
    expect(unexpectedWrites(before, await snapshot(), 400)).toEqual([]);
    await database.db.updateTable('patient').set({ address: 'Endret 2' }).where('id', '=', seeded.patientId).execute();
    const updated = await snapshot();
    expect(unexpectedWrites(before, updated, 400)).toEqual([expect.stringMatching(/^patient /)]);
    await database.db.updateTable('app_user').set({ failed_attempts: 1 }).where('id', '=', user.id).execute();
    const counted = await snapshot();
    // A failure counter may move on a refused login (401), never on bad input (400).
    expect(unexpectedWrites(updated, counted, 401)).toEqual([]);
    expect(unexpectedWrites(updated, counted, 400)).toEqual([expect.stringMatching(/^app_user /)]);
    await database.db.updateTable('app_user').set({ display_name: 'Endret navn' }).where('id', '=', user.id).execute();
    expect(unexpectedWrites(counted, await snapshot(), 401)).toEqual([expect.stringMatching(/^app_user /), expect.stringMatching(/^app_user\.core /)]);
  });
});

/** The schema at a path of an input schema (for filling in the parents of a nested field). */
function subSchema(schema: z.core.$ZodType | undefined, path: (string | number)[]): z.core.$ZodType {
  let current = schema as z.core.$ZodType;
  for (const key of path) {
    let def = defOf(unwrap(current).core);
    // A union: the alternative that has this field.
    if (def.type === 'union') {
      const option = (def.options as z.core.$ZodType[]).find((candidate) => typeof key === 'string' && key in ((defOf(unwrap(candidate).core).shape as Record<string, unknown> | undefined) ?? {}));
      def = defOf(unwrap(option ?? current).core);
    }
    current = (typeof key === 'number' ? def.element : (def.shape as Record<string, z.core.$ZodType>)[key]) as z.core.$ZodType;
  }
  return current;
}

function show(value: unknown): string {
  if (value === DEEP) return 'deeply nested arrays';
  if (typeof value === 'string' && value.length > 40) return `${value.length} characters`;
  return JSON.stringify(value) ?? String(value);
}
