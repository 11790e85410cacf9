import { describe, expect, it } from 'vitest';
import { errorOf, fieldErrorsFrom } from '../../audit/audit-helpers';
import { createUser, eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { type CasesSetting, casesSetting, newCase, PATIENT_NATIONAL_ID, TODAY } from './cases-support';

// DPO-4: what a case page offers beyond the status. Rectification goes through JRN-4 — the DPO asks
// the responsible clinician, who answers in the journal by amending the note or recording the
// refusal; an objection is registered where processing rests on legitimate interest, the CRM's
// direct marketing, for the person's contacts the case finds. Each is audited and in the case's history.

/** A request of `kind` from Kari (a new one, not a duplicate), her identity verified; linked to her journal unless told otherwise. */
async function verifiedCase(s: CasesSetting, kind: 'rectification' | 'objection' | 'access', options: { link?: boolean; verify?: boolean } = {}) {
  const caseId = (await newCase(s, { kind, nationalId: PATIENT_NATIONAL_ID, confirmNotDuplicate: true })).id as string;
  const version = options.link === false ? 1 : (await s.dpo.dpo.cases.linkPatient({ caseId, version: 1 })).version;
  if (options.verify !== false) await s.dpo.dpo.cases.verifyIdentity({ caseId, version, method: 'bankid' });
  return caseId;
}

async function signedNote(s: CasesSetting, body = 'Diagnose: migrene. Pasienten røyker 20 sigaretter daglig.') {
  const { noteId } = await s.doctor.journal.createDraft({ patientId: s.patientId, noteType: 'consultation', consultationDate: TODAY, body });
  await s.doctor.journal.sign({ noteId });
  return noteId;
}

describe('DPO-4, JRN-4: rectification asks the responsible clinician to correct the journal', () => {
  const database = useTestDatabase();

  it('DPO-4, JRN-4: the DPO asks the clinician who treats the patient; the journal shows the clinician the request; amending the note answers it, in the request, the case history and the events', async () => {
    const s = await casesSetting(database.current);
    const noteId = await signedNote(s);
    const caseId = await verifiedCase(s, 'rectification');
    const requestedChange = 'Pasienten har aldri røykt; notatet fra i dag sier 20 sigaretter daglig.';

    // Whom to ask: the clinician who treats her and wrote her notes first.
    const before = await s.dpo.dpo.cases.get({ caseId });
    expect(before.correctionCandidates.map((candidate) => [candidate.name, candidate.isResponsible])).toEqual([
      ['Dr. Behandler', true],
      ['Dr. Kollega', false],
    ]);
    const { id: requestId } = await s.dpo.dpo.cases.requestCorrection({ caseId, assigneeId: s.doctorUser.id, requestedChange });
    const requested = await eventsOf(s.db, { action: 'dpo.case.correction_requested' });
    expect(requested).toEqual([
      expect.objectContaining({ outcome: 'allowed', user_id: s.dpoUser.id, patient_id: s.patientId, object_type: 'dsr_correction_request', object_id: requestId, details: { caseId, assigneeId: s.doctorUser.id } }),
    ]);
    // What is asked stays on the request, never in the log.
    expect(JSON.stringify(requested)).not.toContain('røykt');

    // The clinician sees it in the journal, as asked of them.
    const opened = await s.doctor.journal.open({ patientId: s.patientId });
    expect(opened.correctionRequests).toEqual([expect.objectContaining({ id: requestId, caseReference: expect.stringMatching(/^DSR-2026-\d{4}$/), requestedChange, requestedByName: 'Petter Personvern', assignedToName: 'Dr. Behandler', isMine: true })]);

    await s.doctor.journal.amend({ noteId, body: 'Diagnose: migrene. Pasienten røyker ikke.', reason: 'Rettet etter pasientens begjæring om retting', correctionRequestId: requestId });
    const after = await s.dpo.dpo.cases.get({ caseId });
    expect(after.corrections).toEqual([
      expect.objectContaining({ id: requestId, status: 'amended', assignedToName: 'Dr. Behandler', requestedChange, answeredByName: 'Dr. Behandler', answerNoteId: noteId, answeredAt: s.clock.now() }),
    ]);
    expect(after.steps.map((step) => [step.reason, step.changedByName])).toEqual([
      [null, 'Petter Personvern'],
      ['identity_verified', 'Petter Personvern'],
      ['correction_requested', 'Petter Personvern'],
      ['correction_amended', 'Dr. Behandler'],
    ]);
    expect(await eventsOf(s.db, { action: 'journal.note.amended' })).toEqual([
      expect.objectContaining({ outcome: 'allowed', user_id: s.doctorUser.id, object_id: noteId, details: expect.objectContaining({ version: 2, correctionRequestId: requestId, caseId }) }),
    ]);
    // The journal keeps both versions (an amendment, never an overwrite), and the request is no longer open.
    expect((await s.doctor.journal.history({ noteId })).versions).toHaveLength(2);
    expect((await s.doctor.journal.open({ patientId: s.patientId })).correctionRequests).toEqual([]);
    const twice = await errorOf(s.doctor.journal.amend({ noteId, body: 'Diagnose: migrene.', reason: 'Enda en retting', correctionRequestId: requestId }));
    expect(fieldErrorsFrom(twice)).toEqual([expect.objectContaining({ field: 'correctionRequestId', messageKey: 'validation.correction_request_answered' })]);
    expect((await s.doctor.journal.history({ noteId })).versions).toHaveLength(2);
  });

  it('DPO-4, JRN-4: recording the refusal in the journal answers the request as refused; the case shows it', async () => {
    const s = await casesSetting(database.current);
    const caseId = await verifiedCase(s, 'rectification');
    const { id: requestId } = await s.dpo.dpo.cases.requestCorrection({ caseId, assigneeId: s.doctorUser.id, requestedChange: 'Ønsker diagnosen fjernet fra journalen.' });
    const { noteId } = await s.doctor.journal.recordCorrectionRefusal({
      patientId: s.patientId,
      requestedAt: TODAY,
      requestedChange: 'Ønsker diagnosen fjernet fra journalen.',
      reasons: 'Diagnosen er riktig og nødvendig for forsvarlig helsehjelp.',
      correctionRequestId: requestId,
    });
    const view = await s.dpo.dpo.cases.get({ caseId });
    expect(view.corrections).toEqual([expect.objectContaining({ id: requestId, status: 'refused', answerNoteId: noteId, answeredByName: 'Dr. Behandler' })]);
    expect(view.steps.at(-1)).toMatchObject({ reason: 'correction_refused', changedByName: 'Dr. Behandler' });
    expect((await eventsOf(s.db, { action: 'journal.note.correction_refused' })).at(-1)).toMatchObject({ object_id: noteId, details: expect.objectContaining({ correctionRequestId: requestId, caseId }) });
  });

  it('DPO-4: refused — a colleague who is no clinician, another organisation’s user, a case of another kind, an unverified person, no linked patient; a request answered for another patient’s note', async () => {
    const s = await casesSetting(database.current);
    const caseId = await verifiedCase(s, 'rectification');
    const ask = (overrides: Record<string, string>) => s.dpo.dpo.cases.requestCorrection({ caseId, assigneeId: s.doctorUser.id, requestedChange: 'Rett diagnosen.', ...overrides });
    expect(fieldErrorsFrom(await errorOf(ask({ assigneeId: s.salesUser.id })))).toEqual([expect.objectContaining({ field: 'assigneeId', messageKey: 'validation.dsr_assignee_not_clinician' })]);
    const foreignClinician = await createUser(s.db, s.otherOrganisation.id, { roles: ['clinician'] });
    const foreign = await errorOf(ask({ assigneeId: foreignClinician.id }));
    const madeUp = await errorOf(ask({ assigneeId: '6f1c2b1e-0000-4000-8000-000000000000' }));
    expect(foreign).toMatchObject({ code: 'NOT_FOUND' });
    expect({ code: madeUp.code, message: madeUp.message }).toEqual({ code: foreign.code, message: foreign.message });
    expect(await errorOf(s.otherDpo.dpo.cases.requestCorrection({ caseId, assigneeId: s.doctorUser.id, requestedChange: 'Rett diagnosen.' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await eventsOf(s.db, { action: 'dpo.case.correction_requested' })).map((event) => [event.outcome, event.reason])).toEqual([
      ['denied', 'not_found'],
      ['denied', 'not_found'],
      ['denied', 'not_found'],
    ]);

    const access = await verifiedCase(s, 'access');
    const unverified = await verifiedCase(s, 'rectification', { verify: false });
    const unlinked = (await newCase(s, { kind: 'rectification', email: 'kari@eksempel.no', confirmNotDuplicate: true })).id as string;
    await s.dpo.dpo.cases.verifyIdentity({ caseId: unlinked, version: 1, method: 'bankid' });
    const refusalOf = async (id: string) => fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.requestCorrection({ caseId: id, assigneeId: s.doctorUser.id, requestedChange: 'Rett diagnosen.' })));
    expect(await refusalOf(access)).toEqual([expect.objectContaining({ field: 'caseId', messageKey: 'validation.dsr_wrong_kind' })]);
    expect(await refusalOf(unverified)).toEqual([expect.objectContaining({ field: 'caseId', messageKey: 'validation.dsr_identity_required' })]);
    expect(await refusalOf(unlinked)).toEqual([expect.objectContaining({ field: 'caseId', messageKey: 'validation.dsr_no_patient_linked' })]);
    expect(await s.db.selectFrom('dsr_correction_request').select('id').execute()).toEqual([]);

    // A request about Kari does not answer for another patient's note.
    const { id: requestId } = await ask({});
    const { patientId: otherPatient } = await s.doctor.patients.register({ nationalId: '15076500565', givenName: 'Ola', familyName: 'Hansen', dateOfBirth: '1965-07-15', gender: 'male' });
    const { noteId } = await s.doctor.journal.createDraft({ patientId: otherPatient, noteType: 'consultation', consultationDate: TODAY, body: 'Ola sitt notat.' });
    await s.doctor.journal.sign({ noteId });
    const wrongPatient = await errorOf(s.doctor.journal.amend({ noteId, body: 'Ola sitt notat, rettet.', reason: 'Retting', correctionRequestId: requestId }));
    expect(fieldErrorsFrom(wrongPatient)).toEqual([expect.objectContaining({ field: 'correctionRequestId', messageKey: 'validation.correction_request_other_patient' })]);
    expect((await s.doctor.journal.history({ noteId })).versions).toHaveLength(1);
  });
});

describe('DPO-4 (art. 21): an objection is registered where processing rests on legitimate interest', () => {
  const database = useTestDatabase();

  async function crmPerson(s: CasesSetting) {
    const company = await s.sales.crm.createCompany({ name: 'Fjellheim Bygg AS' } as never);
    const contact = await s.sales.crm.createContact({
      companyId: company.id,
      fullName: 'Kari Nordmann',
      email: 'Kari@eksempel.no',
      source: 'public_sources',
      bases: [
        { purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Brønnøysundregistrene' },
        { purpose: 'newsletter', basis: 'consent', source: 'contact_form', evidence: 'Skjema på nettsiden' },
      ],
    } as never);
    const someoneElse = await s.sales.crm.createContact({
      companyId: company.id,
      fullName: 'Lise Annen',
      email: 'lise@fjellheim-bygg.example',
      bases: [{ purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Brønnøysundregistrene' }],
    } as never);
    return { company, contact, someoneElse };
  }

  it('DPO-4: the case finds the person’s CRM contacts and registers the objection through the CRM, with the case as reference; consent stays; legitimate interest cannot be recorded again', async () => {
    const s = await casesSetting(database.current);
    const { contact, someoneElse } = await crmPerson(s);
    const caseId = await verifiedCase(s, 'objection', { link: false });
    const reference = (await s.dpo.dpo.cases.get({ caseId })).reference;

    const found = await s.dpo.dpo.cases.objectionContacts({ caseId });
    expect(found.contacts).toEqual([expect.objectContaining({ id: contact.id, fullName: 'Kari Nordmann', companyName: 'Fjellheim Bygg AS', canObject: true })]);
    expect((await eventsOf(s.db, { action: 'dpo.case.person_searched' })).at(-1)).toMatchObject({ object_id: caseId, details: { purpose: 'objection', contactIds: [contact.id] } });

    const result = await s.dpo.dpo.cases.registerObjection({ caseId, contactIds: [contact.id] });
    expect(result.contacts).toEqual([{ id: contact.id, objected: ['direct_sales', 'event_invitations'] }]);
    const records = await s.db.selectFrom('contact_legal_basis').select(['purpose', 'basis', 'state', 'source', 'evidence', 'dsr_case_id', 'recorded_by']).where('contact_id', '=', contact.id).where('state', '=', 'objected').orderBy('purpose').execute();
    expect(records).toEqual([
      expect.objectContaining({ purpose: 'direct_sales', basis: 'legitimate_interest', source: 'email', dsr_case_id: caseId, recorded_by: s.dpoUser.id }),
      expect.objectContaining({ purpose: 'event_invitations', basis: 'legitimate_interest', source: 'email', dsr_case_id: caseId, recorded_by: s.dpoUser.id }),
    ]);
    expect(records[0]?.evidence).toContain(reference);
    expect((await eventsOf(s.db, { action: 'crm.legal_basis.objected' })).map((event) => [event.user_id, event.object_id, (event.details as { purpose: string; caseId: string }).purpose, (event.details as { caseId: string }).caseId])).toEqual([
      [s.dpoUser.id, contact.id, 'direct_sales', caseId],
      [s.dpoUser.id, contact.id, 'event_invitations', caseId],
    ]);
    expect(await eventsOf(s.db, { action: 'dpo.case.objection_registered' })).toEqual([
      expect.objectContaining({ outcome: 'allowed', object_type: 'dsr_case', object_id: caseId, details: { contactIds: [contact.id], objectedContactIds: [contact.id] } }),
    ]);
    expect((await s.dpo.dpo.cases.get({ caseId })).steps.at(-1)).toMatchObject({ reason: 'objection_registered', changedByName: 'Petter Personvern' });

    // Now: nothing left to object to; the consent to the newsletter stands (withdrawing it is the person's own step).
    const after = (await s.dpo.dpo.cases.objectionContacts({ caseId })).contacts[0];
    expect(after?.canObject).toBe(false);
    expect(after?.bases.find((basis) => basis.purpose === 'newsletter')).toMatchObject({ basis: 'consent', state: 'active', isFromThisCase: false });
    expect(after?.bases.find((basis) => basis.purpose === 'direct_sales')).toMatchObject({ state: 'objected', isFromThisCase: true });
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.registerObjection({ caseId, contactIds: [contact.id] })))).toEqual([expect.objectContaining({ field: 'contactIds', messageKey: 'validation.crm_no_objectable_basis' })]);
    // Sales cannot put direct marketing back on legitimate interest (CRM-2: the objection is honoured).
    const again = await errorOf(s.sales.crm.recordBasis({ contactId: contact.id, purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Ny kilde' }));
    expect(fieldErrorsFrom(again)).toEqual([expect.objectContaining({ field: 'basis', messageKey: 'validation.crm_objection_stands' })]);
    // Someone else's contact is not the person's: refused, and left as it was.
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.registerObjection({ caseId, contactIds: [someoneElse.id] })))).toEqual([expect.objectContaining({ field: 'contactIds', messageKey: 'validation.dsr_contact_not_of_person' })]);
    expect(await s.db.selectFrom('contact_legal_basis').select('id').where('contact_id', '=', someoneElse.id).where('state', '=', 'objected').execute()).toEqual([]);
  });

  it('DPO-4: refused — a case of another kind, an unverified person, another organisation’s contact or case', async () => {
    const s = await casesSetting(database.current);
    const { contact } = await crmPerson(s);
    const access = await verifiedCase(s, 'access', { link: false });
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.registerObjection({ caseId: access, contactIds: [contact.id] })))).toEqual([expect.objectContaining({ field: 'caseId', messageKey: 'validation.dsr_wrong_kind' })]);
    const unverified = await verifiedCase(s, 'objection', { link: false, verify: false });
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.registerObjection({ caseId: unverified, contactIds: [contact.id] })))).toEqual([expect.objectContaining({ field: 'caseId', messageKey: 'validation.dsr_identity_required' })]);
    const theirCase = (await s.otherDpo.dpo.cases.create({ kind: 'objection', receivedOn: TODAY, channel: 'email', requesterName: 'Kari', email: 'kari@eksempel.no' })).id as string;
    expect(await errorOf(s.otherDpo.dpo.cases.registerObjection({ caseId: theirCase, contactIds: [contact.id] }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await errorOf(s.otherDpo.dpo.cases.objectionContacts({ caseId: access }))).toMatchObject({ code: 'NOT_FOUND' });
    expect((await s.otherDpo.dpo.cases.objectionContacts({ caseId: theirCase })).contacts).toEqual([]);
    expect(await s.db.selectFrom('contact_legal_basis').select('id').where('state', '=', 'objected').execute()).toEqual([]);
  });
});
