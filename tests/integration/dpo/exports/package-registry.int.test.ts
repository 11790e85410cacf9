import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { protectNationalId, nationalIdHmac } from '../../../../src/server/portal/national-id';
import type { PackageItem, PersonDataCategory } from '../../../../src/server/retention/category';
import { PERSON_DATA_CATEGORIES } from '../../../../src/server/retention/categories';
import { collectPersonData } from '../../../../src/server/retention/collect';
import { PACKAGE_SECTIONS } from '../../../../src/shared/dpo-export-schemas';
import { PACKAGE_FIELD_LABELS } from '../../../../src/shared/dpo-package-labels';
import { useTestDatabase } from '../../support/test-database';
import { testSecretBox } from '../../support/test-server';
import { type ExportsSetting, exportsSetting, NATIONAL_ID } from './exports-support';

// DPO-5: the access package is collected through the retention registry — each category's
// collectForPerson, into the section it names — not by queries of its own, so a module that
// registers a category is in the package. "Who saw the journal" is the access report's rows.

/** Kari's data in the modules the shared setting leaves empty: a booking by her number, an employee record at a customer, an appointment. */
async function kariElsewhere(s: ExportsSetting) {
  const { db } = s;
  const org = s.organisation.id;
  const now = s.clock.now();
  const booking = await db
    .insertInto('home_visit_booking')
    .values({
      organisation_id: org,
      source: 'web',
      full_name: 'Kari Nordmann',
      street: 'Storgata 1',
      postcode: '0155',
      city: 'Oslo',
      gender: 'female',
      date_of_birth: '1965-07-15',
      national_id: NATIONAL_ID,
      phone: '+4791234567',
      email: null,
      reason: 'Feber',
      urgency: 'normal',
      earliest_at: now,
      latest_at: new Date(now.getTime() + 3_600_000),
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const company = await db.selectFrom('company').select('id').where('organisation_id', '=', org).executeTakeFirstOrThrow();
  const agreement = await db
    .insertInto('corporate_agreement')
    .values({ organisation_id: org, company_id: company.id, starts_on: '2026-01-01', ends_on: null, services: ['occupational_health'], reference: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const employeeId = randomUUID();
  await db
    .insertInto('corporate_employee')
    .values({ id: employeeId, organisation_id: org, company_id: company.id, agreement_id: agreement.id, full_name: 'Kari Nordmann', phone: null, email: null, ...protectNationalId(testSecretBox, employeeId, NATIONAL_ID), created_at: now, updated_at: now })
    .execute();
  const appointment = await db
    .insertInto('appointment')
    .values({ organisation_id: org, patient_id: s.patientId, clinician_id: s.clinicianUser.id, kind: 'consultation', starts_at: new Date('2026-11-20T08:00:00Z') })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { bookingId: booking.id, employeeId, appointmentId: appointment.id };
}

describe('DPO-5: the access package through the retention registry', () => {
  const database = useTestDatabase();

  it('DPO-5: every category of the registry puts its items in its section — bookings by the number, the customer’s employee, appointments, the journal, consents, the access log — and each field shown has its words', async () => {
    const s = await exportsSetting(database.current);
    const kari = await kariElsewhere(s);
    const prepared = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    const idsOf = (section: string) => prepared.sections.find((entry) => entry.section === section)?.items.map((item) => item.id) ?? [];

    expect(prepared.sections.map((entry) => entry.section)).toEqual([...PACKAGE_SECTIONS]);
    expect(idsOf('bookings')).toEqual([kari.bookingId]);
    expect(idsOf('portalEmployees')).toEqual([kari.employeeId]);
    expect(idsOf('appointments')).toEqual([kari.appointmentId]);
    expect(idsOf('crmContacts')).toEqual([s.contactId]);
    expect(idsOf('journal').sort()).toEqual([...s.noteIds].sort());

    // What each category of the registry collects for Kari is what its section holds: the package is their sum.
    const person = { patientId: s.patientId, nationalId: NATIONAL_ID, nationalIdHmac: nationalIdHmac(testSecretBox, NATIONAL_ID), email: 'kari@eksempel.no', phone: null };
    const journalAccess = { patientId: s.patientId, hiddenNoteIds: [] };
    for (const category of PERSON_DATA_CATEGORIES) {
      const items = await category.collectForPerson(s.db, { organisationId: s.organisation.id, person, now: s.clock.now(), journalAccess });
      expect(idsOf(category.packageSection), category.name).toEqual(expect.arrayContaining(items.map((item) => item.id)));
    }

    // "Who saw the journal" is the access report's rows (the same ids, words and coded bases).
    const accessLog = prepared.sections.find((entry) => entry.section === 'accessLog')!.items;
    expect(accessLog.length).toBeGreaterThan(0);
    const report = await s.dpo.dpo.accessReport.get({ patientId: s.patientId, from: '2026-01-01', to: '2026-11-22' });
    expect(report.rows.map((row) => row.id)).toEqual(expect.arrayContaining(accessLog.map((item) => item.id)));
    const registered = report.rows.find((row) => row.action === 'patient.registered')!;
    expect(accessLog.find((item) => item.id === registered.id)?.fields).toEqual(
      expect.arrayContaining([
        { key: 'userName', value: 'Dr. Lege' },
        { key: 'basis', value: registered.basis },
        { key: 'organisationName', value: registered.organisationName },
      ]),
    );

    // Every field the review shows is one the shared words name, in Bokmål and English.
    const keys = new Set(prepared.sections.flatMap((entry) => entry.items.flatMap((item) => item.fields.map((field) => field.key))));
    expect(keys.size).toBeGreaterThan(20);
    for (const key of keys) {
      expect(PACKAGE_FIELD_LABELS.nb, key).toHaveProperty(key);
      expect(PACKAGE_FIELD_LABELS.en, key).toHaveProperty(key);
    }
  });

  it('DPO-5: a category added to the registry reaches the package’s section with no other code; the journal’s categories give nothing without the access decision', async () => {
    const s = await exportsSetting(database.current);
    const invoices: PersonDataCategory = {
      name: 'accounting.invoice',
      descriptionKey: 'dpoErasure.category.accountingRecord',
      keeps: [],
      erasureMethod: 'erased',
      findForPerson: () => Promise.resolve([]),
      eraseForPerson: () => Promise.resolve(0),
      packageSection: 'accounting',
      collectForPerson: (_trx, { person }) => Promise.resolve(person.email ? [{ id: 'invoice-1', createdAt: '2026-11-01T10:00:00.000Z', status: 'paid' } satisfies PackageItem] : []),
    };
    const person = { patientId: s.patientId, nationalId: NATIONAL_ID, email: 'kari@eksempel.no' };
    const sections = await collectPersonData(s.db, [...PERSON_DATA_CATEGORIES, invoices], {
      organisationId: s.organisation.id,
      now: s.clock.now(),
      journalAccess: null,
      // Found twice (the request's identifiers and the journal's): kept once.
      persons: [person, { ...person }],
    });
    expect(sections.accounting).toEqual([{ id: 'invoice-1', createdAt: '2026-11-01T10:00:00.000Z', status: 'paid' }]);
    expect(sections.crmContacts.map((item) => item.id)).toEqual([s.contactId]);
    for (const section of ['journal', 'consents', 'appointments', 'accessLog'] as const) expect(sections[section], section).toEqual([]);
  });
});
