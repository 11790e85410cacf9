import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_ACTOR } from '../../../src/server/audit/record';
import { runAuditedUnit } from '../../../src/server/audit/unit-of-work';
import { importJobHandlers } from '../../../src/server/import/jobs';
import { runDueJobs } from '../../../src/server/jobs/runner';
import { employeeImportDefinition } from '../../../src/server/portal/employee-import';
import { appRouter } from '../../../src/server/router';
import { createBooking } from '../../../src/server/visits/intake';
import { bookingIntakeSchema } from '../../../src/shared/visit-schemas';
import { callerAs, createOrganisation, createUser, login, TestClock } from '../support/identity';
import type { TestDatabase } from '../support/test-database';
import { useTestDatabase } from '../support/test-database';
import { testSecretBox } from '../support/test-server';
import { nationalIdFor } from '../visits/visit-support';

/**
 * CRM-5: nothing in the CRM or the corporate portal tells whether a person is a patient, and no CRM
 * response carries anything from the health tables. Two organisations hold the same CRM data about
 * Kari Nordmann (a contact, and an employee of a customer); in one she is also a patient with a
 * signed journal note and a home-visit booking, in the other she is not. Every `crm.*` and
 * `portal.*` procedure — taken from the router, so a new one fails this test until it is walked —
 * is called in both, and
 * - the answers are the same once ids and times are put aside (nothing differs because she is a patient);
 * - no answer holds an id, a text or a field name from the patient, journal or visit tables.
 */

const PERSON = { fullName: 'Kari Nordmann', dateOfBirth: '1965-07-15', email: 'kari.nordmann@fjordkraft.example', phone: '+4791234567' } as const;
const NOTE_TEXT = 'Migrene, ny behandling startet. Kontroll om tre uker.';
const BOOKING_REASON = 'Høy feber og hodepine siden natt til i dag';
const HEALTH_KEYS = /patient|journal|note|visit|booking|consultation|diagnos|appointment|clinician|care/i;

/** Every CRM and portal procedure of the router, by path. */
function crmProcedurePaths(): string[] {
  return Object.keys((appRouter as unknown as { _def: { procedures: Record<string, unknown> } })._def.procedures)
    .filter((path) => path.startsWith('crm.') || path.startsWith('portal.'))
    .sort();
}

type Call = (input?: unknown) => Promise<unknown>;

function procedureOf(caller: unknown, path: string): Call {
  const procedure = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  if (typeof procedure !== 'function') throw new Error(`no procedure ${path}`);
  return procedure as Call;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** The answer with ids numbered by first appearance and instants replaced: what remains must not differ between the worlds. */
function normalise(value: unknown, ids = new Map<string, string>()): unknown {
  if (value instanceof Date) return '<time>';
  if (typeof value === 'string') {
    if (UUID.test(value)) {
      if (!ids.has(value)) ids.set(value, `<id ${ids.size + 1}>`);
      return ids.get(value);
    }
    if (INSTANT.test(value)) return '<time>';
    // A CSV or file name may carry ids and times inside: keep its shape, not its values.
    return value.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>').replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z?/g, '<time>');
  }
  if (Array.isArray(value)) return value.map((item) => normalise(item, ids));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item, ids)]));
  return value;
}

/** Every key and every string (and number) anywhere in an answer. */
function walk(value: unknown, visit: (kind: 'key' | 'value', text: string, path: string) => void, path = ''): void {
  if (value instanceof Date || value === null || value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number') return visit('value', String(value), path);
  if (Array.isArray(value)) return value.forEach((item, index) => walk(item, visit, `${path}[${index}]`));
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      visit('key', key, `${path}.${key}`);
      walk(item, visit, `${path}.${key}`);
    }
  }
}

const CSV = (nationalId: string) => `Navn;Fødselsnummer;Telefon;E-post\r\n${PERSON.fullName};${nationalId};${PERSON.phone};${PERSON.email}\r\nOla Feil;12345678901;;\r\n`;

async function world(database: TestDatabase, options: { isPatient: boolean }) {
  const clock = new TestClock();
  const db = database.db;
  const organisation = await createOrganisation(db, options.isPatient ? 'Klinikk med pasienten' : 'Klinikk uten pasienten');
  const seller = await createUser(db, organisation.id, { roles: ['sales'], displayName: 'Selger Siri' });
  const sales = callerAs(database, (await login(database, seller, clock)).token, clock, { clientIp: '198.51.100.9' });
  const nationalId = nationalIdFor(PERSON.dateOfBirth, 'female');
  const health = { ids: new Set<string>(), texts: [NOTE_TEXT, BOOKING_REASON] };

  if (options.isPatient) {
    const doctor = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Behandler' });
    const clinician = callerAs(database, (await login(database, doctor, clock)).token, clock);
    const { patientId } = await clinician.patients.register({ nationalId, givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: PERSON.dateOfBirth, gender: 'female', phone: '91234567', email: PERSON.email } as never);
    const { noteId } = await clinician.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: NOTE_TEXT });
    await clinician.journal.sign({ noteId });
    const booking = await runAuditedUnit(
      { db, actor: ANONYMOUS_ACTOR, actions: ['visit.booking.received'], mode: 'write', now: clock.now(), clientIp: undefined, origin: 'test', isEventRequired: false },
      ({ trx, audit }) =>
        createBooking(trx, audit, {
          organisationId: organisation.id,
          source: 'web',
          createdBy: null,
          input: bookingIntakeSchema.parse({ fullName: PERSON.fullName, street: 'Storgata 1', postcode: '0155', city: 'Oslo', gender: 'female', dateOfBirth: PERSON.dateOfBirth, nationalId, phone: PERSON.phone, email: PERSON.email, reason: BOOKING_REASON, urgency: 'normal', earliestAt: new Date(clock.now().getTime() + 3_600_000).toISOString(), latestAt: null }),
          idempotencyKey: 'separation-booking-1',
          now: clock.now(),
          isDemo: false,
          secretBox: testSecretBox,
        }),
    );
    // Every id the health tables hold for this organisation, whatever the procedures above returned.
    for (const table of ['patient', 'journal_note', 'journal_note_version', 'home_visit_booking', 'appointment', 'care_relationship'] as const) {
      const { rows } = await sql<{ id: string }>`select id::text as id from ${sql.table(table)} where organisation_id = ${organisation.id}`.execute(db);
      for (const row of rows) health.ids.add(row.id);
    }
    expect(health.ids.has(patientId) && health.ids.has(noteId)).toBe(true);
    void booking;
  }

  // The same CRM data in both worlds.
  const company = await sales.crm.createCompany({ name: 'Fjordkraft Bygg AS', city: 'Bergen', industry: 'Bygg', status: 'lead', source: 'manual', ownerId: null } as never);
  const companyId = company.id;
  const contact = await sales.crm.createContact({
    companyId,
    fullName: PERSON.fullName,
    jobTitle: 'Personalsjef',
    email: PERSON.email,
    phone: PERSON.phone,
    source: 'manual',
    bases: [
      { purpose: 'account_follow_up', basis: 'consent', source: 'meeting', evidence: 'Sa ja i møte' },
      { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Svarte ja på e-post' },
    ],
  } as never);
  const contactId = contact.id;
  // Their answers are walked with the others'.
  const setupAnswers: Record<string, unknown> = { 'crm.createCompany': company, 'crm.createContact': contact };
  return { clock, organisation, sales, companyId, contactId, nationalId, health, setupAnswers };
}

type World = Awaited<ReturnType<typeof world>>;

/**
 * The walk: every CRM and portal procedure, in an order where each finds what it needs. Each step
 * names the procedure and builds its input from what the world and the earlier answers hold.
 */
function steps(w: World, state: Record<string, string | number>) {
  const company = async () => (await w.sales.crm.company({ companyId: w.companyId })) as { company: { version: number }; contacts: { id: string; version: number }[]; tasks: { id: string; version: number }[] };
  return [
    ['crm.companies', () => ({ search: 'Fjordkraft', page: 1, pageSize: 25 })],
    ['crm.company', () => ({ companyId: w.companyId })],
    ['crm.salesUsers', () => undefined],
    ['crm.updateCompany', async () => ({ companyId: w.companyId, version: (await company()).company.version, name: 'Fjordkraft Bygg AS', organisationNumber: null, street: 'Kaigaten 1', postcode: '5015', city: 'Bergen', industry: 'Bygg', ownerId: null })],
    ['crm.setCompanyStatus', async () => ({ companyId: w.companyId, status: 'customer', version: (await company()).company.version })],
    ['crm.updateContact', async () => ({ contactId: w.contactId, version: (await company()).contacts[0]?.version, fullName: PERSON.fullName, jobTitle: 'HR-sjef', email: PERSON.email, phone: PERSON.phone })],
    ['crm.recordBasis', () => ({ contactId: w.contactId, purpose: 'account_follow_up', basis: 'contract', source: 'agreement', evidence: 'Avtale 2026-17' })],
    ['crm.logActivity', () => ({ companyId: w.companyId, contactId: w.contactId, kind: 'call', purpose: 'account_follow_up', summary: 'Ringte om avtalen', occurredAt: w.clock.now().toISOString() })],
    ['crm.createTask', () => ({ companyId: w.companyId, contactId: w.contactId, title: 'Send tilbud', dueOn: '2026-11-25' })],
    ['crm.updateTask', async () => {
      const task = (await company()).tasks[0];
      state.taskId = task?.id ?? '';
      return { taskId: task?.id, version: task?.version, title: 'Send nytt tilbud' };
    }],
    ['crm.completeTask', async () => ({ taskId: state.taskId, version: (await company()).tasks.find((task) => task.id === state.taskId)?.version })],
    ['crm.myTasks', () => ({ includeDone: true })],
    ['crm.pipeline', () => ({ months: 12 })],
    ['crm.contactList', () => ({ purpose: 'newsletter' })],
    ['crm.exportContacts', () => ({ purpose: 'newsletter' })],
    ['crm.withdrawConsent', () => ({ contactId: w.contactId, purpose: 'newsletter', evidence: 'Ba om å slippe nyhetsbrev', source: 'email' })],
    ['crm.recordObjection', () => ({ contactId: w.contactId, purpose: 'direct_sales', evidence: 'Vil ikke bli ringt', source: 'phone' })],
    ['portal.saveAgreement', () => ({ companyId: w.companyId, startsOn: '2026-01-01', endsOn: null, services: ['occupational_health', 'gp_consultations'], reference: 'BA-17' })],
    ['portal.agreement', () => ({ companyId: w.companyId })],
    ['portal.addEmployee', () => ({ companyId: w.companyId, fullName: PERSON.fullName, nationalId: w.nationalId, phone: PERSON.phone, email: PERSON.email })],
    ['portal.employees', () => ({ companyId: w.companyId, search: '', page: 1, pageSize: 25 })],
    ['portal.updateEmployee', async () => {
      const { rows } = (await w.sales.portal.employees({ companyId: w.companyId })) as { rows: { id: string; version: number }[] };
      state.employeeId = rows[0]?.id ?? '';
      return { employeeId: rows[0]?.id, version: rows[0]?.version, fullName: PERSON.fullName, nationalId: w.nationalId, phone: PERSON.phone, email: 'kari@fjordkraft.example' };
    }],
    ['portal.revealNationalId', () => ({ employeeId: state.employeeId, reason: 'verify_identity' })],
    ['portal.import.create', () => ({ companyId: w.companyId, fileName: 'ansatte.csv', byteSize: Buffer.byteLength(CSV(w.nationalId)) })],
    ['portal.import.uploadChunk', () => ({ importId: state.importId, index: 0, data: Buffer.from(CSV(w.nationalId)).toString('base64') })],
    ['portal.import.inspect', () => ({ importId: state.importId })],
    ['portal.import.validate', () => ({ importId: state.importId, mapping: { fullName: 0, nationalId: 1, phone: 2, email: 3 } })],
    ['portal.import.status', () => ({ importId: state.importId })],
    ['portal.import.preview', () => ({ importId: state.importId, page: 1, pageSize: 50, onlyErrors: false })],
    ['portal.import.commit', () => ({ importId: state.importId })],
    ['portal.import.latest', () => ({ companyId: w.companyId })],
    ['portal.import.problemRows', () => ({ importId: state.importId })],
    // A second import, left at its upload and cancelled.
    ['portal.import.cancel', async () => ({ importId: (await w.sales.portal.import.create({ companyId: w.companyId, fileName: 'avbrutt.csv', byteSize: 10 })).importId })],
    ['portal.removeEmployee', async () => {
      const { rows } = (await w.sales.portal.employees({ companyId: w.companyId })) as { rows: { id: string; version: number }[] };
      return { employeeId: rows[0]?.id, version: rows[0]?.version };
    }],
  ] as const;
}

describe('CRM-5: the CRM and the portal never tell whether a person is a patient', () => {
  const database = useTestDatabase();

  it('CRM-5: every crm.* and portal.* procedure answers the same whether the person is a patient or not, and no answer holds anything from the health tables', async () => {
    const paths = crmProcedurePaths();
    expect(paths.length).toBeGreaterThan(20);
    const jobs = importJobHandlers([employeeImportDefinition({ allowSynthetic: false })], testSecretBox);
    const answers: Record<string, unknown>[] = [];
    const worlds: World[] = [];
    for (const isPatient of [true, false]) {
      const w = await world(database.current, { isPatient });
      worlds.push(w);
      const state: Record<string, string | number> = {};
      const walked: string[] = Object.keys(w.setupAnswers);
      const answersOfWorld: Record<string, unknown> = { ...w.setupAnswers };
      for (const [path, inputOf] of steps(w, state)) {
        if (path === 'portal.import.status') {
          // The validation job runs between starting it and reading its status.
          await runDueJobs(database.current.db, jobs, w.clock.now());
        }
        if (path === 'portal.import.latest') await runDueJobs(database.current.db, jobs, w.clock.now());
        const input = await inputOf();
        let answer: unknown;
        try {
          answer = await procedureOf(w.sales, path)(input);
        } catch (error) {
          // A refusal is an answer too (and must not differ either), but the walk expects none here.
          throw new Error(`${path} failed: ${(error as Error).message}`, { cause: error });
        }
        if (path === 'portal.import.create') state.importId = (answer as { importId: string }).importId;
        walked.push(path);
        answersOfWorld[path] = answer;
      }
      // The walk covers the router: a procedure added later fails here until it is walked.
      expect([...new Set(walked)].sort()).toEqual(paths);
      answers.push(answersOfWorld);
    }

    const [withPatient, withoutPatient] = answers as [Record<string, unknown>, Record<string, unknown>];
    for (const path of paths) {
      expect(normalise(withPatient[path]), `${path} answers differently when the person is a patient`).toEqual(normalise(withoutPatient[path]));
    }

    const health = worlds[0]?.health;
    expect(health && health.ids.size).toBeGreaterThanOrEqual(4);
    const leaks: string[] = [];
    for (const path of paths) {
      walk(withPatient[path], (kind, text, where) => {
        if (kind === 'key' && HEALTH_KEYS.test(text)) leaks.push(`${path}${where}: field name ${text}`);
        if (kind === 'value' && health?.ids.has(text)) leaks.push(`${path}${where}: an id from the health tables`);
        if (kind === 'value' && health?.texts.some((healthText) => text.includes(healthText.slice(0, 20)))) leaks.push(`${path}${where}: health text`);
      });
    }
    expect(leaks).toEqual([]);
  });
});
