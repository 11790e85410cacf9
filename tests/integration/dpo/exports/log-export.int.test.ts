import type { AuditEvent, Bundle } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { errorOf, fieldErrorsFrom } from '../../audit/audit-helpers';
import { totpCodeAt } from '../../../../src/server/auth/totp';
import { toAuditEvent } from '../../../../src/server/fhir/audit-event';
import { createUser, eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { CLIENT_IP, exportsSetting, fhirR4Errors } from './exports-support';

// AUD-5: the DPO exports a period's events as JSON lines and as FHIR R4 AuditEvents in the IHE
// BALP shape; the export is the backend's, behind step-up, logged with the client address.

const DAY = 86_400_000;

describe('AUD-5: exporting the log', () => {
  const database = useTestDatabase();

  it('AUD-5: JSON lines parse one by one and hold exactly the period’s events of the organisation, every AUD-2 field, details as stored', async () => {
    const s = await exportsSetting(database.current);
    // An event of another organisation in the same period, and one of ours outside it.
    await s.otherDpo.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-22', format: 'jsonl' });
    s.clock.advance(3 * DAY);
    await (await s.as(s.clinicianUser)).journal.notes({ patientId: s.patientId });
    const dpo = await s.as(s.dpoUser, { clientIp: CLIENT_IP });
    const file = await dpo.dpo.exports.auditLog({ from: '2026-11-20', to: '2026-11-22', format: 'jsonl' });
    expect(file).toMatchObject({ mimeType: 'application/x-ndjson', fileName: 'logg-2026-11-20-2026-11-22.jsonl', encoding: 'utf8' });
    const lines = file.content.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const expected = await database.current.db
      .selectFrom('audit_event')
      .select(['id', 'details'])
      .where('organisation_id', '=', s.organisation.id)
      .where('occurred_at', '>=', new Date('2026-11-19T23:00:00Z'))
      .where('occurred_at', '<', new Date('2026-11-22T23:00:00Z'))
      .orderBy('id')
      .execute();
    expect(expected.length).toBeGreaterThan(5);
    expect(lines.map((line) => line.id)).toEqual(expected.map((row) => String(row.id)));
    expect(lines.map((line) => line.details)).toEqual(expected.map((row) => row.details));
    expect(new Set(lines.map((line) => line.organisation_id))).toEqual(new Set([s.organisation.id]));
    for (const field of ['occurred_at', 'user_id', 'user_display_name', 'user_roles', 'profession', 'session_id', 'auth_method', 'device_id', 'action', 'outcome', 'reason', 'patient_id', 'object_type', 'object_id', 'basis', 'client_ip', 'details']) {
      expect(lines[0]).toHaveProperty(field);
    }
    expect(lines.some((line) => line.action === 'journal.note.signed' && line.patient_id === s.patientId && line.basis === 'treatment_relationship')).toBe(true);
    // The export is logged with the client address and the period, format and count.
    expect((await eventsOf(database.current.db, { action: 'dpo.log.exported', userId: s.dpoUser.id })).at(-1)).toMatchObject({
      client_ip: CLIENT_IP,
      object_type: 'audit_log',
      details: { from: '2026-11-20', to: '2026-11-22', format: 'jsonl', eventCount: expected.length },
    });
  });

  it('AUD-5: the FHIR Bundle of AuditEvents validates against the R4 schema, and carries the BALP fields (patient entity, agent role, purpose of use, network address of an export)', async () => {
    const s = await exportsSetting(database.current);
    await s.dpo.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-22', format: 'jsonl' });
    const file = await s.dpo.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-22', format: 'fhir' });
    expect(file.mimeType).toBe('application/fhir+json');
    const bundle = JSON.parse(file.content) as Bundle<AuditEvent>;
    expect(fhirR4Errors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const events = (bundle.entry ?? []).map((entry) => entry.resource!);
    for (const event of events) expect(fhirR4Errors(event)).toEqual([]);

    const signed = events.find((event) => event.subtype?.some((coding) => coding.code === 'journal.note.signed'));
    expect(signed).toMatchObject({
      action: 'U',
      outcome: '0',
      agent: [expect.objectContaining({ who: { reference: `Practitioner/${s.clinicianUser.id}`, display: 'Dr. Lege' }, requestor: true, role: expect.arrayContaining([{ coding: [expect.objectContaining({ code: 'clinician' })] }]), purposeOfUse: [expect.objectContaining({ coding: [expect.objectContaining({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' })] })] })],
      source: expect.objectContaining({ observer: expect.objectContaining({ display: 'Journalkontor' }) }),
    });
    expect(signed?.entity).toEqual(expect.arrayContaining([expect.objectContaining({ what: { reference: `Patient/${s.patientId}` }, role: expect.objectContaining({ code: '1', display: 'Patient' }), type: expect.objectContaining({ code: '1' }) })]));
    const exported = events.find((event) => event.subtype?.some((coding) => coding.code === 'dpo.log.exported'));
    expect(exported).toMatchObject({ type: { code: '110106', display: 'Export' }, action: 'R', agent: [expect.objectContaining({ network: { address: CLIENT_IP, type: '2' } })] });
  });

  it('AUD-5: the validator bites — a resource broken on purpose fails the R4 schema', async () => {
    const event = toAuditEvent({
      id: '1', organisation_id: null, occurred_at: new Date(), user_id: null, user_display_name: null, user_roles: [], profession: null, session_id: null, auth_method: null, device_id: null,
      action: 'journal.note.read', outcome: 'allowed', reason: null, patient_id: null, object_type: null, object_id: null, basis: 'break_glass', client_ip: null, details: {},
    });
    expect(fhirR4Errors(event)).toEqual([]);
    expect(event.agent[0]?.purposeOfUse?.[0]?.coding?.[0]?.code).toBe('ETREAT');
    expect(fhirR4Errors({ ...event, action: 'X' })).not.toEqual([]);
    expect(fhirR4Errors({ ...event, recorded: 'yesterday' })).not.toEqual([]);
    expect(fhirR4Errors({ ...event, agent: [{ ...event.agent[0], requestor: 'yes' }] })).not.toEqual([]);
    expect(fhirR4Errors({ ...event, madeUpField: 1 })).not.toEqual([]);
  });

  it('AUTH-5/AUD-5, ACC-5: without a fresh second factor the export is refused and logged as a denied attempt (no file); after step-up it goes through', async () => {
    const s = await exportsSetting(database.current);
    s.clock.advance(6 * 60_000);
    expect(await errorOf(s.dpo.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-22', format: 'jsonl' }))).toMatchObject({ code: 'FORBIDDEN', message: 'auth.step_up_required' });
    expect(await eventsOf(database.current.db, { action: 'dpo.log.exported' })).toEqual([
      expect.objectContaining({ outcome: 'denied', reason: 'step_up_required', client_ip: CLIENT_IP, details: { procedure: 'dpo.exports.auditLog' } }),
    ]);
    await s.dpo.auth.session.stepUp({ code: await totpCodeAt(s.dpoUser.totpSecret, s.clock.now()) });
    await s.dpo.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-22', format: 'jsonl' });
    expect((await eventsOf(database.current.db, { action: 'dpo.log.exported' })).map((event) => [event.outcome, event.client_ip])).toEqual([
      ['denied', CLIENT_IP],
      ['allowed', CLIENT_IP],
    ]);
  });

  it('AUD-5: a period longer than 31 days or reversed is refused with the field named', async () => {
    const s = await exportsSetting(database.current);
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.exports.auditLog({ from: '2026-10-01', to: '2026-11-22', format: 'jsonl' })))).toEqual([expect.objectContaining({ field: 'to', messageKey: 'validation.dpo_export_period_too_long' })]);
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-01', format: 'jsonl' })))).toEqual([expect.objectContaining({ field: 'to', messageKey: 'validation.period_reversed' })]);
    expect(await eventsOf(database.current.db, { action: 'dpo.log.exported' })).toEqual([]);
  });

  it.each(['clinician', 'admin', 'coordinator', 'sales'] as const)('ACC-1/AUD-5: a %s may not export the log (refused by role, logged)', async (role) => {
    const s = await exportsSetting(database.current);
    const user = await createUser(database.current.db, s.organisation.id, { roles: [role] });
    const caller = await s.as(user);
    expect(await errorOf(caller.dpo.exports.auditLog({ from: '2026-11-22', to: '2026-11-22', format: 'jsonl' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await eventsOf(database.current.db, { action: 'access.denied', userId: user.id })).toEqual([expect.objectContaining({ reason: 'role_not_admitted' })]);
  });
});
