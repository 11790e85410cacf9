import { describe, expect, it } from 'vitest';
import { API_ERROR_MESSAGES } from '../../../../src/shared/api-errors';
import { addCalendarMonths } from '../../../../src/shared/dsr-deadline';
import { errorOf, fieldErrorsFrom } from '../../audit/audit-helpers';
import { eventsOf } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';
import { type CasesSetting, casesSetting, DAY, newCase, PATIENT_NATIONAL_ID, TODAY } from './cases-support';

const dpoEvents = async (s: CasesSetting) => (await eventsOf(s.db)).filter((event) => event.action.startsWith('dpo.'));

describe('DPO-4: data-subject request cases', () => {
  const database = useTestDatabase();

  it('DPO-4: a request gets a reference per organisation and year, the deadline one calendar month on, the fødselsnummer sealed and masked; the event holds no free text', async () => {
    const s = await casesSetting(database.current);
    const first = await newCase(s, { receivedOn: '2026-10-31', nationalId: PATIENT_NATIONAL_ID, phone: '912 34 567' });
    expect(first).toMatchObject({ created: true, reference: 'DSR-2026-0001', deadline: '2026-11-30', duplicates: [] });
    const second = await newCase(s, { kind: 'erasure', email: 'ola@eksempel.no', requesterName: 'Ola Hansen' });
    expect(second).toMatchObject({ reference: 'DSR-2026-0002', deadline: '2026-12-22' });
    // Another organisation counts on its own.
    const theirs = await s.otherDpo.dpo.cases.create({ kind: 'access', receivedOn: TODAY, channel: 'letter', requesterName: 'Noen Andre' });
    expect(theirs).toMatchObject({ created: true, reference: 'DSR-2026-0001' });

    const row = await s.db.selectFrom('dsr_case').selectAll().where('id', '=', first.id as string).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ national_id_masked: '150765*****', phone: '+4791234567', status: 'received', deadline: '2026-11-30', created_by: s.dpoUser.id });
    expect(row.national_id_sealed).not.toContain(PATIENT_NATIONAL_ID);
    const view = await s.dpo.dpo.cases.get({ caseId: first.id as string });
    expect(view).toMatchObject({ reference: 'DSR-2026-0001', nationalIdMasked: '150765*****', identity: null, extendedDeadline: null, canExtend: true, daysLeft: 8, urgency: 'on_time' });
    expect(JSON.stringify(view)).not.toContain(PATIENT_NATIONAL_ID);
    expect(view.steps).toEqual([expect.objectContaining({ status: 'received', reason: null, changedByName: 'Petter Personvern' })]);

    const created = await eventsOf(s.db, { action: 'dpo.case.created' });
    expect(created).toHaveLength(3);
    expect(created[0]).toMatchObject({ user_id: s.dpoUser.id, object_type: 'dsr_case', object_id: first.id, details: expect.objectContaining({ kind: 'access', reference: 'DSR-2026-0001' }) });
    expect(JSON.stringify(await dpoEvents(s))).not.toMatch(/Kari|Nordmann|kari@|ola@|Ola Hansen|innsyn|15076500050|91234567/);
  });

  it('DPO-4, PLAT-6: bad input is refused naming the field: a future receipt date, a bad fødselsnummer, e-mail and phone, an empty name', async () => {
    const s = await casesSetting(database.current);
    const bad = await errorOf(
      s.dpo.dpo.cases.create({ kind: 'access', receivedOn: '2026-11-21', channel: 'email', requesterName: '', nationalId: '15076500051', email: 'ikke-epost', phone: '12' }),
    );
    expect(fieldErrorsFrom(bad).map((error) => [error.field, error.messageKey]).sort()).toEqual(
      [
        ['email', 'validation.email'],
        ['nationalId', 'validation.nationalIdentityNumber.checksum'],
        ['phone', 'validation.phone'],
        ['requesterName', 'validation.required'],
      ].sort(),
    );
    // The server's own clock decides "today" (the form's check uses the machine's).
    const future = await errorOf(s.dpo.dpo.cases.create({ kind: 'access', receivedOn: '2026-11-23', channel: 'email', requesterName: 'Kari' }));
    expect(fieldErrorsFrom(future)).toEqual([expect.objectContaining({ field: 'receivedOn', messageKey: 'validation.date_in_future' })]);
    expect(await s.db.selectFrom('dsr_case').select('id').execute()).toEqual([]);
  });

  it('DPO-4: numbering continues after references made without the counter (the demo seed writes its own)', async () => {
    const s = await casesSetting(database.current);
    await s.db
      .insertInto('dsr_case')
      .values({
        organisation_id: s.organisation.id,
        reference: 'DSR-2026-0010',
        kind: 'access',
        received_on: '2026-11-01',
        channel: 'letter',
        requester_name: 'Seedet Person',
        national_id_sealed: null,
        national_id_hmac: null,
        national_id_masked: null,
        email: null,
        phone: null,
        patient_id: null,
        identity_method: null,
        identity_verified_by: null,
        identity_verified_at: null,
        hold_reason: null,
        denial_reason: null,
        deadline: '2026-12-01',
        extended_deadline: null,
        extension_reason: null,
        extension_notified_on: null,
        note: null,
        response: null,
        completed_at: null,
        handled_by: null,
        created_by: s.dpoUser.id,
        created_at: s.clock.now(),
        updated_at: s.clock.now(),
      })
      .execute();
    expect((await newCase(s)).reference).toBe('DSR-2026-0011');
    expect((await newCase(s, { kind: 'erasure' })).reference).toBe('DSR-2026-0012');
  });

  it('DPO-4: references stay unique when requests are registered at the same time', async () => {
    const s = await casesSetting(database.current);
    const made = await Promise.all(Array.from({ length: 6 }, (_, index) => newCase(s, { email: `person${index}@eksempel.no` })));
    expect(new Set(made.map((result) => result.reference)).size).toBe(6);
    expect(made.map((result) => result.reference).sort()).toEqual(Array.from({ length: 6 }, (_, index) => `DSR-2026-000${index + 1}`));
  });

  it('DPO-4: a duplicate request (same person by fødselsnummer, e-mail or phone, same kind, open or recent) is listed and created only when the DPO confirms', async () => {
    const s = await casesSetting(database.current);
    const original = await newCase(s, { nationalId: PATIENT_NATIONAL_ID, email: 'kari@eksempel.no' });
    // Same fødselsnummer, other e-mail: found; nothing created.
    const again = await s.dpo.dpo.cases.create({ kind: 'access', receivedOn: TODAY, channel: 'letter', requesterName: 'K. Nordmann', nationalId: PATIENT_NATIONAL_ID });
    expect(again).toMatchObject({ created: false, id: null, duplicates: [expect.objectContaining({ id: original.id, reference: 'DSR-2026-0001', matchedBy: ['national_id'] })] });
    expect(await s.db.selectFrom('dsr_case').select('id').execute()).toHaveLength(1);
    expect(await eventsOf(s.db, { action: 'dpo.case.person_searched' })).toEqual([expect.objectContaining({ details: expect.objectContaining({ purpose: 'duplicate_check', caseIds: [original.id] }) })]);
    // By e-mail (any case), too.
    const byEmail = await s.dpo.dpo.cases.create({ kind: 'access', receivedOn: TODAY, channel: 'email', requesterName: 'Kari', email: 'KARI@eksempel.no' });
    expect(byEmail.duplicates.map((duplicate) => duplicate.matchedBy)).toEqual([['email']]);
    // Another kind is another request.
    expect((await newCase(s, { kind: 'erasure', nationalId: PATIENT_NATIONAL_ID })).duplicates).toEqual([]);
    // Confirmed: created, and the case shows the other.
    const confirmed = await s.dpo.dpo.cases.create({ kind: 'access', receivedOn: TODAY, channel: 'letter', requesterName: 'K. Nordmann', nationalId: PATIENT_NATIONAL_ID, confirmNotDuplicate: true });
    expect(confirmed).toMatchObject({ created: true, reference: 'DSR-2026-0003', duplicates: [expect.objectContaining({ id: original.id })] });
    expect((await s.dpo.dpo.cases.get({ caseId: confirmed.id as string })).duplicates.map((duplicate) => duplicate.id)).toEqual([original.id]);

    // A closed case older than 90 days is no longer a duplicate; a closed recent one still is.
    await s.db.updateTable('dsr_case').set({ status: 'denied', denial_reason: 'excessive', received_on: '2026-08-01' }).execute();
    expect((await s.dpo.dpo.cases.create({ kind: 'access', receivedOn: TODAY, channel: 'letter', requesterName: 'K', nationalId: PATIENT_NATIONAL_ID })).created).toBe(true);
  });

  it('DPO-4: the status machine — only allowed changes, identity verified before work, coded reasons for hold and denial, the answer to complete; history kept, events coded', async () => {
    const s = await casesSetting(database.current);
    const { id } = await newCase(s);
    const caseId = id as string;
    const status = (version: number, to: string, extra: Record<string, unknown> = {}) => s.dpo.dpo.cases.setStatus({ caseId, version, status: to, ...extra } as never);

    expect(fieldErrorsFrom(await errorOf(status(1, 'completed', { response: 'Svar' })))).toEqual([expect.objectContaining({ field: 'status', messageKey: 'validation.dsr_transition' })]);
    expect(fieldErrorsFrom(await errorOf(status(1, 'in_progress')))).toEqual([expect.objectContaining({ field: 'status', messageKey: 'validation.dsr_transition' })]);
    await expect(status(1, 'in_review')).resolves.toEqual({ id: caseId, version: 2 });
    // Identity first.
    expect(fieldErrorsFrom(await errorOf(status(2, 'in_progress')))).toEqual([expect.objectContaining({ field: 'status', messageKey: 'validation.dsr_identity_required' })]);
    // A stale version is a conflict.
    expect((await errorOf(status(1, 'identity_unverified'))).message).toBe(API_ERROR_MESSAGES.recordChanged);
    await expect(s.dpo.dpo.cases.verifyIdentity({ caseId, version: 2, method: 'bankid' })).resolves.toEqual({ id: caseId, version: 3 });
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.verifyIdentity({ caseId, version: 3, method: 'bankid' })))).toEqual([
      expect.objectContaining({ field: 'method', messageKey: 'validation.dsr_identity_already_verified' }),
    ]);
    await status(3, 'in_progress');
    // On hold needs a coded reason; leaving the hold clears it.
    expect(fieldErrorsFrom(await errorOf(status(4, 'on_hold')))).toEqual([expect.objectContaining({ field: 'holdReason', messageKey: 'validation.required' })]);
    expect(fieldErrorsFrom(await errorOf(status(4, 'on_hold', { holdReason: 'because' })))).toEqual([expect.objectContaining({ field: 'holdReason' })]);
    await status(4, 'on_hold', { holdReason: 'awaiting_clarification' });
    expect((await s.dpo.dpo.cases.get({ caseId })).holdReason).toBe('awaiting_clarification');
    await status(5, 'in_progress');
    expect((await s.dpo.dpo.cases.get({ caseId })).holdReason).toBeNull();
    // Completing needs the answer.
    expect(fieldErrorsFrom(await errorOf(status(6, 'completed')))).toEqual([expect.objectContaining({ field: 'response', messageKey: 'validation.required' })]);
    await status(6, 'ready_for_release');
    await status(7, 'completed', { response: 'Vedlagt finner du kopi av opplysningene vi har om deg.' });
    const done = await s.dpo.dpo.cases.get({ caseId });
    expect(done).toMatchObject({ status: 'completed', version: 8, urgency: 'closed', canExtend: false, identity: { method: 'bankid', verifiedByName: 'Petter Personvern' } });
    expect(done.steps.map((step) => [step.status, step.reason])).toEqual([
      ['received', null],
      ['in_review', null],
      ['in_review', 'identity_verified'],
      ['in_progress', null],
      ['on_hold', 'awaiting_clarification'],
      ['in_progress', null],
      ['ready_for_release', null],
      ['completed', null],
    ]);
    // Closed: nothing more.
    expect(fieldErrorsFrom(await errorOf(status(8, 'in_progress')))).toEqual([expect.objectContaining({ field: 'caseId', messageKey: 'validation.dsr_case_closed' })]);

    // Denial needs a coded reason.
    const other = (await newCase(s, { kind: 'erasure', email: 'annen@eksempel.no' })).id as string;
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.setStatus({ caseId: other, version: 1, status: 'denied' })))).toEqual([expect.objectContaining({ field: 'denialReason' })]);
    await s.dpo.dpo.cases.setStatus({ caseId: other, version: 1, status: 'denied', denialReason: 'manifestly_unfounded' });

    const changes = await eventsOf(s.db, { action: 'dpo.case.status_changed' });
    expect(changes.map((event) => [event.details.from, event.details.to, event.details.reason])).toEqual([
      ['received', 'in_review', null],
      ['in_review', 'in_progress', null],
      ['in_progress', 'on_hold', 'awaiting_clarification'],
      ['on_hold', 'in_progress', null],
      ['in_progress', 'ready_for_release', null],
      ['ready_for_release', 'completed', null],
      ['received', 'denied', 'manifestly_unfounded'],
    ]);
    expect(JSON.stringify(await dpoEvents(s))).not.toMatch(/Vedlagt|opplysningene|Kari|kari@/);
  });

  it('DPO-4: the deadline is extended once, by one or two months from the original deadline, with a reason and the day the person was told, only within the first month', async () => {
    const s = await casesSetting(database.current);
    const caseId = (await newCase(s, { receivedOn: '2026-10-31' })).id as string;
    const extend = (extra: Record<string, unknown>) => s.dpo.dpo.cases.extend({ caseId, version: 1, months: 2, reason: 'Mange og sammensatte begjæringer.', notifiedOn: TODAY, ...extra } as never);
    expect(fieldErrorsFrom(await errorOf(extend({ months: 3 })))).toEqual([expect.objectContaining({ field: 'months', messageKey: 'validation.dsr_extension_months' })]);
    expect(fieldErrorsFrom(await errorOf(extend({ reason: '   ' })))).toEqual([expect.objectContaining({ field: 'reason', messageKey: 'validation.required' })]);
    expect(fieldErrorsFrom(await errorOf(extend({ notifiedOn: '2026-10-30' })))).toEqual([expect.objectContaining({ field: 'notifiedOn', messageKey: 'validation.dsr_notified_before_receipt' })]);
    // Received 31 October: due 30 November; two months more from there: 30 January (month ends clamped by the same arithmetic).
    await expect(extend({})).resolves.toEqual({ id: caseId, version: 2, extendedDeadline: '2027-01-30' });
    expect(await s.dpo.dpo.cases.get({ caseId })).toMatchObject({
      deadline: '2026-11-30',
      extendedDeadline: '2027-01-30',
      effectiveDeadline: '2027-01-30',
      extensionNotifiedOn: TODAY,
      extensionReason: 'Mange og sammensatte begjæringer.',
      canExtend: false,
    });
    // Once only.
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.extend({ caseId, version: 2, months: 1, reason: 'Igjen', notifiedOn: TODAY })))).toEqual([
      expect.objectContaining({ field: 'months', messageKey: 'validation.dsr_already_extended' }),
    ]);
    const [event] = await eventsOf(s.db, { action: 'dpo.case.extended' });
    expect(event?.details).toEqual({ months: 2, deadline: '2026-11-30', extendedDeadline: '2027-01-30', notifiedOn: TODAY });

    // After the first month: too late, and the list says it is overdue.
    const late = (await newCase(s, { receivedOn: '2026-10-21', email: 'sen@eksempel.no' })).id as string;
    expect(fieldErrorsFrom(await errorOf(s.dpo.dpo.cases.extend({ caseId: late, version: 1, months: 1, reason: 'For sent', notifiedOn: TODAY })))).toEqual([
      expect.objectContaining({ field: 'months', messageKey: 'validation.dsr_extension_too_late' }),
    ]);
    expect((await s.dpo.dpo.cases.get({ caseId: late })).canExtend).toBe(false);
    // On the deadline day itself it is still allowed (21 Nov → due 21 Dec; here: received 22 Oct, due today).
    const lastDay = (await newCase(s, { receivedOn: '2026-10-22', email: 'siste@eksempel.no' })).id as string;
    await expect(s.dpo.dpo.cases.extend({ caseId: lastDay, version: 1, months: 1, reason: 'Trenger mer tid', notifiedOn: TODAY })).resolves.toMatchObject({ extendedDeadline: addCalendarMonths(TODAY, 1) });
  });

  it('DPO-4: the list is sorted by the effective deadline, marks overdue and soon-due cases, filters, and logs the patients it shows', async () => {
    const s = await casesSetting(database.current);
    const late = await newCase(s, { receivedOn: '2026-10-20', email: 'a@eksempel.no' }); // due 20 Nov: overdue
    const soon = await newCase(s, { receivedOn: '2026-10-27', email: 'b@eksempel.no', kind: 'erasure' }); // due 27 Nov: soon
    const fresh = await newCase(s, { receivedOn: TODAY, email: 'c@eksempel.no', nationalId: PATIENT_NATIONAL_ID }); // due 22 Dec
    await s.dpo.dpo.cases.linkPatient({ caseId: fresh.id as string, version: 1 });
    const closed = await newCase(s, { receivedOn: '2026-10-01', email: 'd@eksempel.no' });
    await s.dpo.dpo.cases.setStatus({ caseId: closed.id as string, version: 1, status: 'denied', denialReason: 'excessive' });

    const rows = await s.dpo.dpo.cases.list({});
    expect(rows.map((row) => [row.reference, row.urgency, row.daysLeft])).toEqual([
      [late.reference, 'overdue', -2],
      [soon.reference, 'due_soon', 5],
      [fresh.reference, 'on_time', 30],
    ]);
    expect((await s.dpo.dpo.cases.list({ overdueOnly: true })).map((row) => row.id)).toEqual([late.id]);
    expect((await s.dpo.dpo.cases.list({ kinds: ['erasure'] })).map((row) => row.id)).toEqual([soon.id]);
    expect((await s.dpo.dpo.cases.list({ includeClosed: true })).map((row) => row.id)).toContain(closed.id);
    expect((await s.dpo.dpo.cases.list({ statuses: ['denied'], includeClosed: true })).map((row) => row.id)).toEqual([closed.id]);
    const [read] = await eventsOf(s.db, { action: 'dpo.cases.read' });
    expect(read?.details).toMatchObject({ resultCount: 3, shownPatientIds: [s.patientId] });
    // Time passes: the fresh one becomes pressing too.
    s.clock.advance(25 * DAY);
    const later = await s.as(s.dpoUser);
    expect((await later.dpo.cases.list({})).find((row) => row.id === fresh.id)?.urgency).toBe('due_soon');
  });

  it('DPO-4, PLAT-3: another organisation’s case is not found (and the probe is logged); only the DPO may call', async () => {
    const s = await casesSetting(database.current);
    const caseId = (await newCase(s)).id as string;
    for (const call of [
      () => s.otherDpo.dpo.cases.get({ caseId }),
      () => s.otherDpo.dpo.cases.dataTrail({ caseId }),
      () => s.otherDpo.dpo.cases.setStatus({ caseId, version: 1, status: 'in_review' }),
      () => s.otherDpo.dpo.cases.verifyIdentity({ caseId, version: 1, method: 'bankid' }),
      () => s.otherDpo.dpo.cases.extend({ caseId, version: 1, months: 1, reason: 'x', notifiedOn: TODAY }),
      () => s.otherDpo.dpo.cases.setRestriction({ caseId, modules: ['crm'] }),
    ]) {
      expect((await errorOf(call)).code).toBe('NOT_FOUND');
    }
    expect(await s.otherDpo.dpo.cases.list({})).toEqual([]);
    const probes = (await eventsOf(s.db, { userId: s.otherDpoUser.id })).filter((event) => event.outcome === 'denied');
    expect(probes.length).toBeGreaterThanOrEqual(6);
    expect(probes.every((event) => event.reason === 'not_found' && event.object_id === caseId)).toBe(true);
    expect(await s.db.selectFrom('dsr_case').select(['status', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow()).toEqual({ status: 'received', version: 1 });

    for (const caller of [s.sales, s.admin, s.doctor]) {
      expect((await errorOf(() => caller.dpo.cases.list({}))).code).toBe('FORBIDDEN');
      expect((await errorOf(() => caller.dpo.cases.get({ caseId }))).code).toBe('FORBIDDEN');
      expect((await errorOf(() => caller.dpo.cases.create({ kind: 'access', receivedOn: TODAY, channel: 'letter', requesterName: 'X' }))).code).toBe('FORBIDDEN');
    }
  });
});
