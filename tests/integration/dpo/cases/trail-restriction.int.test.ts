import { describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES } from '../../../../src/shared/api-errors';
import { errorOf, fieldErrorsFrom } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { type CasesSetting, casesSetting, DAY, newCase, PATIENT_NATIONAL_ID } from './cases-support';

async function linkedCase(s: CasesSetting, overrides: Record<string, unknown> = {}) {
  const created = await newCase(s, { nationalId: PATIENT_NATIONAL_ID, ...overrides });
  const caseId = created.id as string;
  await s.dpo.dpo.cases.linkPatient({ caseId, version: 1 });
  return caseId;
}

async function shareWithColleague(s: CasesSetting) {
  const { consentId } = await s.doctor.sharing.recordConsent({ patientId: s.patientId, givenBy: 'patient', method: 'verbal', givenAt: s.clock.now().toISOString(), scope: 'whole_journal', purpose: 'Veiledning' });
  return () => s.doctor.sharing.grant({ patientId: s.patientId, granteeId: s.colleagueUser.id, consentId, scope: 'whole_journal', purpose: 'Veiledning', endsAt: new Date(s.clock.now().getTime() + 7 * DAY).toISOString() });
}

describe('DPO-4, DPO-5: the data trail and restriction of processing', () => {
  const database = useTestDatabase();

  it('DPO-4: linking the patient goes by fødselsnummer within the organisation; no number or no match is refused naming the field', async () => {
    const s = await casesSetting(database.current);
    const noNumber = (await newCase(s)).id as string;
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.linkPatient({ caseId: noNumber, version: 1 })))).toEqual([expect.objectContaining({ field: 'nationalId', messageKey: 'validation.dsr_no_national_id' })]);
    const noMatch = (await newCase(s, { kind: 'erasure', nationalId: '01018020080' })).id as string;
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.linkPatient({ caseId: noMatch, version: 1 })))).toEqual([expect.objectContaining({ field: 'nationalId', messageKey: 'validation.dsr_no_patient_match' })]);
    // The other organisation's DPO registers the same person: their organisation has no such patient.
    const theirs = await s.otherDpo.dpo.cases.create({ kind: 'access', receivedOn: '2026-11-22', channel: 'letter', requesterName: 'Kari', nationalId: PATIENT_NATIONAL_ID });
    expect(fieldErrorsFrom(await errorOf(s.otherDpo.dpo.cases.linkPatient({ caseId: theirs.id as string, version: 1 })))).toEqual([expect.objectContaining({ messageKey: 'validation.dsr_no_patient_match' })]);
    const caseId = await linkedCase(s, { kind: 'rectification' });
    expect(await s.dpo.dpo.cases.get({ caseId })).toMatchObject({ patient: { id: s.patientId, name: 'Kari Nordmann' }, version: 2 });
    expect(await eventsOf(s.db, { action: 'dpo.case.updated' })).toEqual([expect.objectContaining({ patient_id: s.patientId, object_id: caseId, details: { changedFields: ['patient_id'] } })]);
  });

  it('DPO-4: the data trail lists a print with the address it was printed from, a share with the colleague it went to, and messages sent to the person', async () => {
    const s = await casesSetting(database.current);
    const caseId = await linkedCase(s, { email: 'kari@eksempel.no' });
    await s.doctor.journal.print({ patientId: s.patientId });
    await (await shareWithColleague(s))();
    await s.db.insertInto('outbox_message').values({ organisation_id: s.organisation.id, channel: 'email', recipient: 'kari@eksempel.no', template: 'visit.booking_confirmation', subject: null, body: 'Bekreftelse' }).execute();
    await s.db.insertInto('outbox_message').values({ organisation_id: s.otherOrganisation.id, channel: 'email', recipient: 'kari@eksempel.no', template: 'visit.booking_confirmation', subject: null, body: 'Ikke vår' }).execute();

    const trail = await s.dpo.dpo.cases.dataTrail({ caseId });
    expect(trail.hasPatient).toBe(true);
    const printed = trail.entries.find((entry) => entry.what === 'journal.printed');
    expect(printed).toMatchObject({ source: 'audit', who: 'Dr. Behandler', clientIp: '203.0.113.9' });
    expect(trail.entries.find((entry) => entry.what === 'sharing.share.granted')).toMatchObject({ who: 'Dr. Behandler', toName: 'Dr. Kollega', clientIp: null });
    expect(trail.entries.filter((entry) => entry.source === 'outbox')).toEqual([expect.objectContaining({ what: 'message.pending', channel: 'email', recipient: 'kari@eksempel.no', detail: 'visit.booking_confirmation' })]);
    // Ordinary reads are not "where the data went".
    expect(trail.entries.map((entry) => entry.what)).not.toContain('journal.record.opened');
    expect(await eventsOf(s.db, { action: 'dpo.case.data_trail_read' })).toEqual([
      expect.objectContaining({ patient_id: s.patientId, object_id: caseId, details: { eventCount: 2, messageCount: 1 } }),
    ]);
  });

  it('DPO-5: a restriction refuses CRM activity logging on a contact with the person’s e-mail or phone, logged as dpo.processing.restricted; lifted, it is allowed again', async () => {
    const s = await casesSetting(database.current);
    const company = await s.sales.crm.createCompany({ name: 'Fjellheim Bygg AS' } as never);
    const contact = await s.sales.crm.createContact({
      companyId: company.id,
      fullName: 'Jonas Berg',
      email: 'Jonas.Berg@fjellheim-bygg.example',
      phone: '',
      bases: [{ purpose: 'account_follow_up', basis: 'consent', source: 'meeting', evidence: 'Sa ja i møte' }],
    } as never);
    const other = await s.sales.crm.createContact({
      companyId: company.id,
      fullName: 'Lise Annen',
      email: 'lise@fjellheim-bygg.example',
      bases: [{ purpose: 'account_follow_up', basis: 'consent', source: 'meeting', evidence: 'Sa ja i møte' }],
    } as never);
    const activity = (contactId: string) =>
      s.sales.crm.logActivity({ companyId: company.id, contactId, kind: 'call', purpose: 'account_follow_up', summary: 'Ringte om avtalen', occurredAt: s.clock.now().toISOString() });
    const caseId = (await newCase(s, { kind: 'restriction', requesterName: 'Jonas Berg', email: 'jonas.berg@fjellheim-bygg.example' })).id as string;
    const { id: restrictionId } = await s.dpo.dpo.cases.setRestriction({ caseId, modules: ['crm'] });
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.setRestriction({ caseId, modules: ['crm'] })))).toEqual([expect.objectContaining({ field: 'modules', messageKey: 'validation.dsr_restriction_in_force' })]);

    const refused = await errorOf(activity(contact.id));
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted });
    expect(await s.db.selectFrom('crm_activity').select('id').where('contact_id', '=', contact.id).execute()).toEqual([]);
    expect(await eventsOf(s.db, { action: 'dpo.processing.restricted' })).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        user_id: s.salesUser.id,
        reason: 'processing_restricted',
        object_type: 'crm_contact',
        object_id: contact.id,
        details: expect.objectContaining({ module: 'crm', restrictionId, caseId, procedure: 'crm.logActivity' }),
      }),
    ]);
    // Someone else at the same company is not restricted.
    await expect(activity(other.id)).resolves.toMatchObject({ id: expect.any(String) });

    await s.dpo.dpo.cases.liftRestriction({ restrictionId });
    await expect(activity(contact.id)).resolves.toMatchObject({ id: expect.any(String) });
    expect((await errorOf(s.dpo.dpo.cases.liftRestriction({ restrictionId }))).code).toBe('NOT_FOUND');
    const view = await s.dpo.dpo.cases.get({ caseId });
    expect(view.restrictions).toEqual([expect.objectContaining({ id: restrictionId, modules: ['crm'], setByName: 'Petter Personvern', liftedByName: 'Petter Personvern' })]);
    expect((await eventsOf(s.db)).filter((event) => event.action.startsWith('dpo.restriction.') && event.outcome === 'allowed').map((event) => [event.action, event.details.modules])).toEqual([
      ['dpo.restriction.set', ['crm']],
      ['dpo.restriction.lifted', ['crm']],
    ]);
    expect(JSON.stringify(await eventsOf(s.db, { action: 'dpo.processing.restricted' }))).not.toMatch(/jonas|Berg/i);
  });

  it('DPO-5: a restriction refuses granting a read-share of the restricted patient, logged; a restriction on CRM alone does not; lifted, sharing works again', async () => {
    const s = await casesSetting(database.current);
    const grant = await shareWithColleague(s);
    const caseId = await linkedCase(s, { kind: 'restriction' });
    // Restricted in the CRM only: the journal's sharing is not touched.
    const { id: crmOnly } = await s.dpo.dpo.cases.setRestriction({ caseId, modules: ['crm'] });
    await expect(grant()).resolves.toMatchObject({ shareId: expect.any(String) });
    await s.dpo.dpo.cases.liftRestriction({ restrictionId: crmOnly });

    const { id: restrictionId } = await s.dpo.dpo.cases.setRestriction({ caseId, modules: ['journal_sharing', 'crm'] });
    const refused = await errorOf(grant);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: API_ERROR_MESSAGES.processingRestricted });
    expect(await s.db.selectFrom('read_share').select('id').execute()).toHaveLength(1);
    expect(await eventsOf(s.db, { action: 'dpo.processing.restricted' })).toEqual([
      expect.objectContaining({ outcome: 'denied', user_id: s.doctorUser.id, patient_id: s.patientId, details: expect.objectContaining({ module: 'journal_sharing', restrictionId, procedure: 'sharing.grant' }) }),
    ]);
    await s.dpo.dpo.cases.liftRestriction({ restrictionId });
    await expect(grant()).resolves.toMatchObject({ shareId: expect.any(String) });
  });

  it('DPO-5: a restriction set before the patient is linked follows the person into the journal once linked', async () => {
    const s = await casesSetting(database.current);
    const grant = await shareWithColleague(s);
    const created = await newCase(s, { kind: 'restriction', nationalId: PATIENT_NATIONAL_ID });
    await s.dpo.dpo.cases.setRestriction({ caseId: created.id as string, modules: ['journal_sharing'] });
    await expect(grant()).resolves.toMatchObject({ shareId: expect.any(String) });
    await s.dpo.dpo.cases.linkPatient({ caseId: created.id as string, version: 1 });
    expect((await errorOf(grant)).message).toBe(API_ERROR_MESSAGES.processingRestricted);
  });
});
