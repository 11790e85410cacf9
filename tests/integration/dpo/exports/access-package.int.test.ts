import type { Bundle, DocumentReference, FhirResource } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { decideJournalAccess } from '../../../../src/server/access/decide';
import { totpCodeAt } from '../../../../src/server/auth/totp';
import { errorOf } from '../../audit/audit-helpers';
import { createUser, eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { CLIENT_IP, exportsSetting, fhirR4Errors, insertCase } from './exports-support';

// DPO-5: the DPO reads a journal only inside an open access request, the case being the logged
// basis of the one access decision; the access package gathers everything found for the person,
// is reviewed (redactions with their legal ground), released, and only then downloaded.

describe('DPO-5: the dsr_case basis of the access decision', () => {
  const database = useTestDatabase();

  it('DPO-5: the DPO reads the case patient’s journal with the case as logged basis; never another patient, never after the case is completed', async () => {
    const s = await exportsSetting(database.current);
    const journal = await s.dpo.dpo.exports.caseJournal({ caseId: s.caseId });
    expect(journal.notes.map((note) => note.id).sort()).toEqual([...s.noteIds].sort());
    expect(journal.notes.find((note) => note.id === s.noteIds[0])?.versions.map((version) => version.body)).toEqual(['Hodepine i tre uker.', 'Hodepine i tre uker, verre om morgenen.']);
    expect(await eventsOf(database.current.db, { action: 'dpo.case.journal_read' })).toEqual([
      expect.objectContaining({ outcome: 'allowed', user_id: s.dpoUser.id, patient_id: s.patientId, basis: 'dsr_case', object_type: 'dsr_case', object_id: s.caseId }),
    ]);
    const who = { organisationId: s.organisation.id, userId: s.dpoUser.id };
    expect(await decideJournalAccess(s.db, who, s.patientId, s.clock.now())).toMatchObject({ isAllowed: true, basis: 'dsr_case', grantId: s.caseId });
    expect(await decideJournalAccess(s.db, who, s.otherPatientId, s.clock.now())).toMatchObject({ isAllowed: false, reason: 'no_basis' });
    // A clinician without a relationship gets nothing from the DPO's case.
    const stranger = await createUser(s.db, s.organisation.id, { roles: ['clinician'] });
    expect(await decideJournalAccess(s.db, { organisationId: s.organisation.id, userId: stranger.id }, s.patientId, s.clock.now())).toMatchObject({ isAllowed: false, reason: 'no_basis' });
    // A case of another kind is no basis.
    await s.db.updateTable('dsr_case').set({ kind: 'erasure' }).where('id', '=', s.caseId).execute();
    expect(await decideJournalAccess(s.db, who, s.patientId, s.clock.now())).toMatchObject({ isAllowed: false, reason: 'no_basis' });
    await s.db.updateTable('dsr_case').set({ kind: 'access', status: 'completed', completed_at: s.clock.now(), response: 'Svar sendt.' }).where('id', '=', s.caseId).execute();
    expect(await decideJournalAccess(s.db, who, s.patientId, s.clock.now())).toMatchObject({ isAllowed: false, reason: 'no_basis' });
    expect(await errorOf(s.dpo.dpo.exports.caseJournal({ caseId: s.caseId }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.case_closed' });
    // The role's grant, not the case alone: a DPO whose role is revoked has no basis.
    await s.db.updateTable('dsr_case').set({ status: 'in_progress', completed_at: null }).where('id', '=', s.caseId).execute();
    await s.db.updateTable('role_grant').set({ revoked_at: s.clock.now() }).where('user_id', '=', s.dpoUser.id).execute();
    expect(await decideJournalAccess(s.db, who, s.patientId, s.clock.now())).toMatchObject({ isAllowed: false, reason: 'no_basis' });
  });

  it('ACC-4/DPO-5: a block against the DPO holds against the case basis too (whole journal: refused and logged; chosen notes: left out)', async () => {
    const s = await exportsSetting(database.current);
    await s.db
      .insertInto('patient_block')
      .values({ organisation_id: s.organisation.id, patient_id: s.patientId, blocked_user_id: s.dpoUser.id, scope: 'selected_notes', note_ids: [s.noteIds[1]!], requested_at: s.clock.now(), recorded_by: s.clinicianUser.id })
      .execute();
    const partial = await s.dpo.dpo.exports.caseJournal({ caseId: s.caseId });
    expect(partial.notes.map((note) => note.id)).toEqual([s.noteIds[0]]);
    expect(partial.hasBlockedNotes).toBe(true);
    await s.db
      .insertInto('patient_block')
      .values({ organisation_id: s.organisation.id, patient_id: s.patientId, blocked_user_id: s.dpoUser.id, scope: 'whole_journal', requested_at: s.clock.now(), recorded_by: s.clinicianUser.id })
      .execute();
    expect(await errorOf(s.dpo.dpo.exports.caseJournal({ caseId: s.caseId }))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await eventsOf(s.db, { action: 'dpo.case.journal_read' })).at(-1)).toMatchObject({ outcome: 'denied', reason: 'blocked', patient_id: s.patientId });
  });

  it('PLAT-3/DPO-5: another organisation’s case answers like a made-up id; a clinician may not read a case’s journal', async () => {
    const s = await exportsSetting(database.current);
    const foreign = await errorOf(s.otherDpo.dpo.exports.caseJournal({ caseId: s.caseId }));
    const madeUp = await errorOf(s.otherDpo.dpo.exports.caseJournal({ caseId: '6f1c2b1e-0000-4000-8000-000000000000' }));
    expect(foreign).toMatchObject({ code: 'NOT_FOUND', message: 'error.not_found' });
    expect({ code: madeUp.code, message: madeUp.message }).toEqual({ code: foreign.code, message: foreign.message });
    expect(await errorOf(s.clinician.dpo.exports.caseJournal({ caseId: s.caseId }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await errorOf(s.clinician.dpo.exports.preparePackage({ caseId: s.caseId }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('DPO-5: the access package', () => {
  const database = useTestDatabase();

  it('DPO-5: prepared from every module, sealed at rest, redacted with a legal ground (gone from JSON, FHIR and the listing), downloadable only once released, each step logged', async () => {
    const s = await exportsSetting(database.current);
    const prepared = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    expect(prepared.status).toBe('draft');
    const section = (name: string) => prepared.sections.find((entry) => entry.section === name)!;
    expect(section('journal').items.map((item) => item.id).sort()).toEqual([...s.noteIds].sort());
    expect(section('patient').items.map((item) => item.id)).toEqual([s.patientId]);
    expect(section('crmContacts').items.map((item) => item.id)).toEqual([s.contactId]);
    expect(section('accessLog').items.length).toBeGreaterThan(0);
    // Personal data at rest: the stored package holds no readable journal text.
    const stored = await s.db.selectFrom('dsr_package').select(['content_sealed', 'status']).where('id', '=', prepared.id).executeTakeFirstOrThrow();
    expect(stored.content_sealed).not.toContain('Hodepine');
    expect(stored.content_sealed).not.toContain('Nordmann');

    // Download before release is refused.
    expect(await errorOf(s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'json' }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.not_released' });

    const redactedNote = s.noteIds[1]!;
    const afterRedaction = await s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId: redactedNote, reasonCode: 'pasjl_18_third_party' });
    expect(afterRedaction.redactions).toEqual([expect.objectContaining({ section: 'journal', itemId: redactedNote, reasonCode: 'pasjl_18_third_party' })]);
    expect(afterRedaction.sections.find((entry) => entry.section === 'journal')!.items.find((item) => item.id === redactedNote)?.redactedFor).toBe('pasjl_18_third_party');
    expect(await errorOf(s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId: 'not-an-item', reasonCode: 'hpl_41_harm' }))).toMatchObject({ code: 'BAD_REQUEST' });

    const released = await s.dpo.dpo.exports.release({ packageId: prepared.id });
    expect(released).toMatchObject({ status: 'released', releasedAt: expect.any(String) });
    expect(await errorOf(s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId: s.noteIds[0]!, reasonCode: 'hpl_41_harm' }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.already_released' });

    const json = await s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'json' });
    expect(json.mimeType).toBe('application/json');
    const document = JSON.parse(json.content) as { sections: Record<string, { id: string }[]>; withheld: unknown[] };
    expect(document.sections.journal!.map((item) => item.id)).toEqual([s.noteIds[0]]);
    expect(json.content).not.toContain('Søsteren ringte');
    expect(json.content).not.toContain(redactedNote);
    expect(document.withheld).toEqual([{ section: 'journal', legalGround: 'pasjl_18_third_party' }]);

    const fhir = await s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'fhir' });
    const bundle = JSON.parse(fhir.content) as Bundle<FhirResource>;
    expect(fhirR4Errors(bundle)).toEqual([]);
    const resources = (bundle.entry ?? []).map((entry) => entry.resource!);
    for (const resource of resources) expect(fhirR4Errors(resource)).toEqual([]);
    expect(resources.filter((resource) => resource.resourceType === 'Patient').map((resource) => resource.id)).toEqual([s.patientId]);
    const documents = resources.filter((resource): resource is DocumentReference => resource.resourceType === 'DocumentReference');
    // The kept note in both its signed versions: the first superseded, the amendment current.
    expect(documents.map((resource) => [resource.identifier?.[0]?.value, resource.status, resource.docStatus])).toEqual([
      [s.noteIds[0], 'superseded', 'final'],
      [s.noteIds[0], 'current', 'amended'],
    ]);
    expect(Buffer.from(documents[1]!.content[0]!.attachment.data!, 'base64').toString('utf8')).toBe('Hodepine i tre uker, verre om morgenen.');
    expect(fhir.content).not.toContain(redactedNote);
    // A document broken on purpose fails the same validator.
    expect(fhirR4Errors({ ...documents[0], status: 'deleted-forever' })).not.toEqual([]);

    const pdf = await s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'pdf' });
    expect(pdf).toMatchObject({ mimeType: 'application/pdf', encoding: 'base64' });
    expect(Buffer.from(pdf.content, 'base64').subarray(0, 5).toString()).toBe('%PDF-');

    expect((await eventsOf(s.db, { action: 'dpo.package.prepared' }))[0]).toMatchObject({ patient_id: s.patientId, basis: 'dsr_case', object_id: prepared.id, client_ip: null, details: expect.objectContaining({ caseId: s.caseId, journalCount: 2, crmContactsCount: 1 }) });
    // The redaction, and the two refused ones (an item not in the package, a redaction after release: ACC-5).
    expect(await eventsOf(s.db, { action: 'dpo.package.redacted' })).toEqual([
      expect.objectContaining({ outcome: 'allowed', object_id: prepared.id, details: { caseId: s.caseId, section: 'journal', itemId: redactedNote, reasonCode: 'pasjl_18_third_party' } }),
      expect.objectContaining({ outcome: 'denied', reason: 'no_such_item', object_id: prepared.id }),
      expect.objectContaining({ outcome: 'denied', reason: 'already_released', object_id: prepared.id }),
    ]);
    expect(await eventsOf(s.db, { action: 'dpo.package.released' })).toEqual([expect.objectContaining({ object_id: prepared.id, details: { caseId: s.caseId, redactionCount: 1 } })]);
    const exported = await eventsOf(s.db, { action: 'dpo.package.exported' });
    expect(exported.map((event) => [event.outcome, event.client_ip, (event.details as { format?: string }).format ?? null])).toEqual([
      // The download refused before the release (ACC-5).
      ['denied', CLIENT_IP, null],
      ['allowed', CLIENT_IP, 'json'],
      ['allowed', CLIENT_IP, 'fhir'],
      ['allowed', CLIENT_IP, 'pdf'],
    ]);
    expect(await s.db.selectFrom('dsr_package_redaction').select(['item_id', 'reason_code', 'redacted_by']).execute()).toEqual([{ item_id: redactedNote, reason_code: 'pasjl_18_third_party', redacted_by: s.dpoUser.id }]);
  });

  it('AUTH-5/DPO-5: the download needs a fresh second factor', async () => {
    const s = await exportsSetting(database.current);
    const prepared = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    await s.dpo.dpo.exports.release({ packageId: prepared.id });
    s.clock.advance(6 * 60_000);
    expect(await errorOf(s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'json' }))).toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
    await s.dpo.auth.session.stepUp({ code: await totpCodeAt(s.dpoUser.totpSecret, s.clock.now()) });
    expect((await s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'json' })).mimeType).toBe('application/json');
  });

  it('DPO-5: preparing again replaces the draft; a request that names no patient still gets the modules found by e-mail, without a journal', async () => {
    const s = await exportsSetting(database.current);
    const first = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    const second = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    expect(second.id).not.toBe(first.id);
    expect(await s.db.selectFrom('dsr_package').select('id').execute()).toEqual([{ id: second.id }]);
    expect((await s.dpo.dpo.exports.package({ caseId: s.caseId }))?.id).toBe(second.id);

    const byEmail = await insertCase(s.db, { organisationId: s.organisation.id, createdBy: s.dpoUser.id, patientId: null, email: 'KARI@eksempel.no' });
    expect(await s.dpo.dpo.exports.package({ caseId: byEmail })).toBeNull();
    const found = await s.dpo.dpo.exports.preparePackage({ caseId: byEmail });
    const count = (name: string) => found.sections.find((entry) => entry.section === name)!.items.length;
    expect([count('patient'), count('journal'), count('crmContacts')]).toEqual([0, 0, 1]);
    expect((await eventsOf(s.db, { action: 'dpo.package.prepared' })).at(-1)).toMatchObject({ patient_id: null, basis: null });
    const erasure = await insertCase(s.db, { organisationId: s.organisation.id, createdBy: s.dpoUser.id, patientId: s.patientId, kind: 'erasure' });
    expect(await errorOf(s.dpo.dpo.exports.preparePackage({ caseId: erasure }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.wrong_kind' });
  });
});
