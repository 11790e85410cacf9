import { describe, expect, it } from 'vitest';
import { errorOf, fieldErrorsFrom } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { CLIENT_IP, exportsSetting, insertCase } from './exports-support';

// ACC-5 for the DPO's exports (DPO-3, DPO-5, DPO-7, AUD-5): an export — or a step towards one —
// refused for the state of its case or package, a period it cannot cover, or a second factor too
// old, writes an audited denial (outcome denied, a reason code, the procedure) under the
// procedure's own action; the attempt itself is rolled back, and the caller still gets the coded,
// translated error.

describe('ACC-5: a refused export leaves its denied event', () => {
  const database = useTestDatabase();

  const lastEvent = async (action: string) => (await eventsOf(database.current.db, { action })).at(-1);

  it('DPO-5, ACC-5: the package refused for its state — download before release, an item not in it, a redaction twice, release and redaction after release — each logged with its reason; nothing of the attempt stays', async () => {
    const s = await exportsSetting(database.current);
    const prepared = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });

    expect(await errorOf(s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'json' }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.not_released' });
    expect(await lastEvent('dpo.package.exported')).toMatchObject({
      outcome: 'denied',
      reason: 'not_released',
      user_id: s.dpoUser.id,
      object_type: 'dsr_package',
      object_id: prepared.id,
      patient_id: s.patientId,
      client_ip: CLIENT_IP,
      details: { caseId: s.caseId, procedure: 'dpo.exports.download' },
    });

    const notAnItem = await errorOf(s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId: 'not-an-item', reasonCode: 'hpl_41_harm' }));
    expect(fieldErrorsFrom(notAnItem)).toEqual([expect.objectContaining({ field: 'itemId', messageKey: 'dpoExports.error.no_such_item' })]);
    expect(await lastEvent('dpo.package.redacted')).toMatchObject({ outcome: 'denied', reason: 'no_such_item', object_id: prepared.id, client_ip: null, details: { caseId: s.caseId, section: 'journal', procedure: 'dpo.exports.redact' } });

    const itemId = s.noteIds[0]!;
    await s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId, reasonCode: 'hpl_41_harm' });
    expect(await errorOf(s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId, reasonCode: 'hpl_41_harm' }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.already_redacted' });
    expect(await lastEvent('dpo.package.redacted')).toMatchObject({ outcome: 'denied', reason: 'already_redacted', object_id: prepared.id });

    await s.dpo.dpo.exports.release({ packageId: prepared.id });
    expect(await errorOf(s.dpo.dpo.exports.release({ packageId: prepared.id }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.already_released' });
    expect(await lastEvent('dpo.package.released')).toMatchObject({ outcome: 'denied', reason: 'already_released', object_id: prepared.id, patient_id: s.patientId });
    expect(await errorOf(s.dpo.dpo.exports.redact({ packageId: prepared.id, section: 'journal', itemId: s.noteIds[1]!, reasonCode: 'hpl_41_harm' }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.already_released' });
    expect(await lastEvent('dpo.package.redacted')).toMatchObject({ outcome: 'denied', reason: 'already_released' });

    // The refused attempts changed nothing: one redaction, one release.
    expect(await s.db.selectFrom('dsr_package_redaction').select('item_id').execute()).toEqual([{ item_id: itemId }]);
    expect((await eventsOf(s.db, { action: 'dpo.package.released' })).map((event) => [event.outcome, event.reason])).toEqual([
      ['allowed', null],
      ['denied', 'already_released'],
    ]);
  });

  it('DPO-5, ACC-5: refused for the case — a case of another kind, one without a patient, one completed after the release — for the journal, the package and the download, each logged with its reason', async () => {
    const s = await exportsSetting(database.current);
    const erasure = await insertCase(s.db, { organisationId: s.organisation.id, createdBy: s.dpoUser.id, patientId: s.patientId, kind: 'erasure' });
    expect(await errorOf(s.dpo.dpo.exports.preparePackage({ caseId: erasure }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.wrong_kind' });
    expect(await lastEvent('dpo.package.prepared')).toMatchObject({ outcome: 'denied', reason: 'case_kind', object_type: 'dsr_case', object_id: erasure, patient_id: s.patientId });
    expect(await s.db.selectFrom('dsr_package').select('id').where('case_id', '=', erasure).execute()).toEqual([]);

    const withoutPatient = await insertCase(s.db, { organisationId: s.organisation.id, createdBy: s.dpoUser.id, patientId: null, email: 'kari@eksempel.no' });
    expect(await errorOf(s.dpo.dpo.exports.caseJournal({ caseId: withoutPatient }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.no_patient' });
    expect(await lastEvent('dpo.case.journal_read')).toMatchObject({ outcome: 'denied', reason: 'no_patient', object_id: withoutPatient, patient_id: null });

    const prepared = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    await s.dpo.dpo.exports.release({ packageId: prepared.id });
    await s.db.updateTable('dsr_case').set({ status: 'completed', completed_at: s.clock.now(), response: 'Svar sendt.' }).where('id', '=', s.caseId).execute();
    expect(await errorOf(s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'pdf' }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.case_closed' });
    expect(await lastEvent('dpo.package.exported')).toMatchObject({ outcome: 'denied', reason: 'case_closed', object_type: 'dsr_case', object_id: s.caseId, patient_id: s.patientId, client_ip: CLIENT_IP });
    expect(await errorOf(s.dpo.dpo.exports.caseJournal({ caseId: s.caseId }))).toMatchObject({ code: 'CONFLICT', message: 'dpoExports.error.case_closed' });
    expect(await lastEvent('dpo.case.journal_read')).toMatchObject({ outcome: 'denied', reason: 'case_closed', object_id: s.caseId });
    expect((await eventsOf(s.db, { action: 'dpo.package.exported' })).filter((event) => event.outcome === 'allowed')).toEqual([]);
  });

  it('AUTH-5, ACC-5: each export refused for a second factor older than five minutes — the package, the access report, a register — is logged as denied with the client address', async () => {
    const s = await exportsSetting(database.current);
    const prepared = await s.dpo.dpo.exports.preparePackage({ caseId: s.caseId });
    await s.dpo.dpo.exports.release({ packageId: prepared.id });
    s.clock.advance(6 * 60_000);
    const attempts = [
      { action: 'dpo.package.exported', procedure: 'dpo.exports.download', call: () => s.dpo.dpo.exports.download({ packageId: prepared.id, format: 'json' }) },
      { action: 'dpo.access_report.exported', procedure: 'dpo.accessReport.exportPdf', call: () => s.dpo.dpo.accessReport.exportPdf({ patientId: s.patientId }) },
      { action: 'dpo.register.exported', procedure: 'dpo.registers.export', call: () => s.dpo.dpo.registers.export({ register: 'processors', format: 'csv' }) },
    ];
    for (const attempt of attempts) {
      expect(await errorOf(attempt.call())).toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
      expect(await eventsOf(s.db, { action: attempt.action })).toEqual([
        expect.objectContaining({ outcome: 'denied', reason: 'step_up_required', user_id: s.dpoUser.id, client_ip: CLIENT_IP, details: { procedure: attempt.procedure } }),
      ]);
    }
  });

  it('DPO-3, ACC-5: an access report PDF for a period that has not ended is refused beside the period and logged', async () => {
    const s = await exportsSetting(database.current);
    const error = await errorOf(s.dpo.dpo.accessReport.exportPdf({ patientId: s.patientId, from: '2026-11-01', to: '2026-11-30' }));
    expect(fieldErrorsFrom(error)).toEqual([expect.objectContaining({ field: 'to', messageKey: 'validation.date_in_future' })]);
    expect(await eventsOf(s.db, { action: 'dpo.access_report.exported' })).toEqual([
      expect.objectContaining({ outcome: 'denied', reason: 'invalid_period', patient_id: s.patientId, object_type: 'access_report', client_ip: CLIENT_IP, details: { from: '2026-11-01', to: '2026-11-30', procedure: 'dpo.accessReport.exportPdf' } }),
    ]);
  });
});
