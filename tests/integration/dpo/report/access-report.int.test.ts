import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../../support/identity';
import type { TestDatabase } from '../../support/test-database';
import { useTestDatabase } from '../../support/test-database';
import { hasPdftotext, pdfText } from './report-support';

const DAY = 86_400_000;
const SECRET_REASON = 'HEMMELIG-FRITEKST-om-pasienten';

/**
 * A scripted history (DPO-3): at 2026-11-22 (outside the later period) a clinician registers two
 * patients and opens the first; 40 days on, a colleague uses break-glass (with a free-text reason)
 * and opens the journal, the first clinician searches (both patients in the list), prints the
 * journal and opens the other patient's; another organisation has an event naming the patient's id.
 */
async function scriptedHistory(database: TestDatabase) {
  const clock = new TestClock(new Date('2026-11-22T09:00:00Z'));
  const db = database.db;
  const organisation = await createOrganisation(db, 'Fjordklinikken AS');
  const other = await createOrganisation(db, 'Annen Klinikk AS');
  const doctor = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Dr. Dag Doktor' });
  const colleague = await createUser(db, organisation.id, { roles: ['clinician'], displayName: 'Sykepleier Sara', profession: 'sykepleier' });
  const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'], displayName: 'Petter Personvern' });
  const otherDoctor = await createUser(db, other.id, { roles: ['clinician'], displayName: 'Dr. Fremmed' });
  const as = async (user: TestUser, clientIp?: string) => callerAs(database, (await login(database, user, clock)).token, clock, clientIp ? { clientIp } : {});

  const doctorCaller = await as(doctor);
  const { patientId } = await doctorCaller.patients.register({ nationalId: '15076500050', givenName: 'Åse', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' });
  const { patientId: otherPatientId } = await doctorCaller.patients.register({ nationalId: '01010100050', givenName: 'Oline', familyName: 'Nordby', dateOfBirth: '1901-01-01', gender: 'female' });
  await doctorCaller.journal.open({ patientId });
  const { noteId } = await doctorCaller.journal.createDraft({ patientId, noteType: 'consultation', consultationDate: '2026-11-22', body: 'Klinisk tekst som aldri skal i rapporten.' });
  await doctorCaller.journal.sign({ noteId });
  const earlyEventIds = (await eventsOf(db)).map((event) => String(event.id));

  clock.advance(40 * DAY);
  const colleagueCaller = await as(colleague);
  await colleagueCaller.access.breakGlass({ patientId, reasonCode: 'emergency_treatment', reasonText: SECRET_REASON, isWarningAcknowledged: true });
  await colleagueCaller.journal.open({ patientId });
  const doctorLater = await as(doctor, '10.0.0.5');
  await doctorLater.patients.search({ query: 'Nord' });
  await doctorLater.journal.print({ patientId });
  await doctorLater.journal.open({ patientId: otherPatientId });
  // Another organisation's events never reach this organisation's report, even naming the same id.
  const otherCaller = await as(otherDoctor);
  await otherCaller.patients.search({ query: 'Nord' });
  await sql`insert into audit_event (organisation_id, occurred_at, user_id, user_display_name, action, outcome, patient_id, details)
    values (${other.id}, ${clock.now()}, ${otherDoctor.id}, 'Dr. Fremmed', 'patient.search', 'allowed', ${patientId}, ${JSON.stringify({ shownPatientIds: [patientId] })}::jsonb)`.execute(db);
  return { clock, db, organisation, doctor, colleague, dpoUser, patientId, otherPatientId, earlyEventIds, as };
}

describe('the patient access report (DPO-3)', () => {
  const database = useTestDatabase();

  it('DPO-3: every access in the period is there (journal events and list appearances), nothing else, no free text, and the report is logged', async () => {
    const s = await scriptedHistory(database.current);
    const dpo = await s.as(s.dpoUser);
    const found = await dpo.dpo.accessReport.findPatient({ query: '15076500050' });
    expect(found).toEqual([{ id: s.patientId, givenName: 'Åse', familyName: 'Nordmann', dateOfBirth: '1965-07-15' }]);
    expect(await eventsOf(s.db, { action: 'dpo.patient.looked_up' })).toEqual([expect.objectContaining({ user_id: s.dpoUser.id, details: expect.objectContaining({ shownPatientIds: [s.patientId] }) })]);

    const today = new Date(s.clock.now().getTime()).toISOString().slice(0, 10);
    const report = await dpo.dpo.accessReport.get({ patientId: s.patientId, from: '2026-12-01', to: today });
    expect(report.patient).toMatchObject({ givenName: 'Åse', familyName: 'Nordmann' });
    expect(report.organisationName).toBe('Fjordklinikken AS');

    const rows = report.rows.map((row) => ({ who: row.userName, action: row.action, basis: row.basis, isList: row.isList, reasonCode: row.reasonCode }));
    expect(rows).toContainEqual({ who: 'Sykepleier Sara', action: 'access.break_glass', basis: 'break_glass', isList: false, reasonCode: 'emergency_treatment' });
    expect(rows).toContainEqual(expect.objectContaining({ who: 'Sykepleier Sara', action: 'journal.record.opened', basis: 'break_glass', isList: false }));
    expect(rows).toContainEqual(expect.objectContaining({ who: 'Dr. Dag Doktor', action: 'patient.search', isList: true, basis: 'list' }));
    expect(rows).toContainEqual(expect.objectContaining({ who: 'Dr. Dag Doktor', action: 'journal.printed', basis: 'treatment_relationship', isList: false }));
    // The DPO's own look-up showed the patient in a list: an access like any other.
    expect(rows).toContainEqual(expect.objectContaining({ who: 'Petter Personvern', action: 'dpo.patient.looked_up', isList: true, basis: 'dpo_supervision' }));
    const saraRow = report.rows.find((row) => row.action === 'access.break_glass');
    expect(saraRow).toMatchObject({ roles: ['clinician'], profession: 'sykepleier', organisationName: 'Fjordklinikken AS' });

    // Nothing else: every row is this organisation's event about this patient, in the period; nothing from before it.
    const ids = report.rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(s.earlyEventIds.length).toBeGreaterThan(3);
    expect(ids.filter((id) => s.earlyEventIds.includes(id))).toEqual([]);
    const events = await s.db.selectFrom('audit_event').selectAll().where('id', 'in', ids).execute();
    expect(events).toHaveLength(ids.length);
    for (const event of events) {
      expect(event.organisation_id).toBe(s.organisation.id);
      expect(event.patient_id === s.patientId || ((event.details.shownPatientIds as string[] | undefined) ?? []).includes(s.patientId)).toBe(true);
      expect(event.occurred_at.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-30T23:00:00Z'));
    }
    // And everything: each event of the organisation about the patient in the period is a row.
    const all = await s.db.selectFrom('audit_event').select(['id', 'patient_id', 'details', 'occurred_at', 'user_id']).where('organisation_id', '=', s.organisation.id).execute();
    const expected = all.filter(
      (event) =>
        event.user_id !== null &&
        event.occurred_at.getTime() >= Date.parse('2026-11-30T23:00:00Z') &&
        (event.patient_id === s.patientId || ((event.details.shownPatientIds as string[] | undefined) ?? []).includes(s.patientId)) &&
        // the report's own event is written after it was read
        !(event.user_id === s.dpoUser.id && event.patient_id === s.patientId),
    );
    expect(ids.sort()).toEqual(expected.map((event) => String(event.id)).sort());

    // No free text anywhere in the answer, and no details passed through.
    const json = JSON.stringify(report);
    expect(json).not.toContain(SECRET_REASON);
    expect(json).not.toContain('Klinisk tekst');
    expect(json).not.toContain('shownPatientIds');

    expect(await eventsOf(s.db, { action: 'dpo.access_report.read' })).toEqual([
      expect.objectContaining({ user_id: s.dpoUser.id, patient_id: s.patientId, outcome: 'allowed', details: expect.objectContaining({ from: '2026-12-01', to: today, rowCount: report.rows.length }) }),
    ]);
  });

  it('DPO-3: the period defaults to the last twelve months and takes Oslo days; an early period holds the early events only', async () => {
    const s = await scriptedHistory(database.current);
    const dpo = await s.as(s.dpoUser);
    const whole = await dpo.dpo.accessReport.get({ patientId: s.patientId });
    expect(whole.to).toBe('2027-01-01');
    expect(whole.from).toBe('2026-01-02');
    const early = await dpo.dpo.accessReport.get({ patientId: s.patientId, from: '2026-11-22', to: '2026-11-22' });
    // Opening the journal (one request, issue 13) logs one event: the open, naming the first page of notes it showed.
    expect(early.rows.map((row) => row.action).sort()).toEqual(['journal.note.draft_created', 'journal.note.signed', 'journal.record.opened', 'patient.registered'].sort());
    expect(whole.rows.length).toBeGreaterThan(early.rows.length);
    await expect(dpo.dpo.accessReport.get({ patientId: s.patientId, from: '2026-12-10', to: '2026-12-01' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('DPO-3: the PDF names the organisation, the patient, the period and who produced it, without free text; its export holds the client IP', async () => {
    const s = await scriptedHistory(database.current);
    const dpo = await s.as(s.dpoUser, '192.0.2.44');
    const result = await dpo.dpo.accessReport.exportPdf({ patientId: s.patientId, from: '2026-12-01', to: '2027-01-01' });
    expect(result.rowCount).toBeGreaterThan(3);
    expect(await eventsOf(s.db, { action: 'dpo.access_report.exported' })).toEqual([
      expect.objectContaining({ user_id: s.dpoUser.id, patient_id: s.patientId, client_ip: '192.0.2.44', details: expect.objectContaining({ format: 'pdf', rowCount: result.rowCount }) }),
    ]);
    if (!hasPdftotext) {
      console.warn('pdftotext (poppler-utils) is missing: the PDF text was not checked');
      return;
    }
    const text = pdfText(result.pdfBase64);
    expect(text).toContain('Innsyn i logg: Nordmann, Åse');
    expect(text).toContain('Født 15.07.1965');
    expect(text).toContain('Fjordklinikken AS');
    expect(text).toContain('01.12.2026–01.01.2027');
    expect(text).toContain('Petter Personvern');
    expect(text).toContain('Sykepleier Sara');
    expect(text).toContain('Nødtilgang: Akutt behandling');
    expect(text).toContain('Journal skrevet ut');
    expect(text).toContain('Pasientsøk');
    expect(text).not.toContain(SECRET_REASON);
    expect(text).not.toContain('Dr. Fremmed');
  });

  it('DPO-3: the report is the DPO’s only; another organisation’s patient is not found; export needs step-up', async () => {
    const s = await scriptedHistory(database.current);
    const doctor = await s.as(s.doctor);
    await expect(doctor.dpo.accessReport.get({ patientId: s.patientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(doctor.dpo.accessReport.findPatient({ query: 'Nordmann' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const otherOrganisation = await createOrganisation(s.db);
    const otherDpo = await createUser(s.db, otherOrganisation.id, { roles: ['dpo'] });
    const otherCaller = await s.as(otherDpo);
    await expect(otherCaller.dpo.accessReport.get({ patientId: s.patientId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await otherCaller.dpo.accessReport.findPatient({ query: 'Nordmann' })).toEqual([]);
    const dpo = await s.as(s.dpoUser);
    s.clock.advance(6 * 60_000);
    await expect(dpo.dpo.accessReport.exportPdf({ patientId: s.patientId })).rejects.toMatchObject({ message: 'auth.step_up_required' });
  });
});
