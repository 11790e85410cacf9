import { describe, expect, it } from 'vitest';
import { writeAuditEvent } from '../../../../src/server/audit/record';
import { systemActor } from '../../../../src/server/audit/unit-of-work';
import { fieldErrorsOf } from '../../../../src/server/errors';
import { callerAs, createOrganisation, createUser, eventsOf, login, TestClock, type TestUser } from '../../support/identity';
import { useTestDatabase } from '../../support/test-database';

const HOUR = 3_600_000;

describe('the retention schedule page’s procedures (DPO-6)', () => {
  const database = useTestDatabase();

  async function setting() {
    const clock = new TestClock();
    const db = database.current.db;
    const organisation = await createOrganisation(db);
    const as = async (user: TestUser) => callerAs(database.current, (await login(database.current, user, clock)).token, clock);
    const dpoUser = await createUser(db, organisation.id, { roles: ['dpo'] });
    return { clock, db, organisation, dpoUser, dpo: await as(dpoUser), admin: await as(await createUser(db, organisation.id, { roles: ['admin'] })), clinician: await as(await createUser(db, organisation.id, { roles: ['clinician'] })), as };
  }

  it('DPO-6: the schedule shows the organisation’s days and the fixed periods; an update within bounds is saved and logged with the old and new numbers', async () => {
    const s = await setting();
    const schedule = await s.dpo.retention.schedule();
    expect(schedule.editable).toEqual([
      { field: 'bookingRetentionDays', category: 'visit.booking', days: 7, min: 1, max: 365 },
      { field: 'crmLeadRetentionDays', category: 'crm.lead_contact', days: 365, min: 30, max: 3650 },
      { field: 'crmEmployeeRetentionDays', category: 'portal.employee', days: 30, min: 0, max: 365 },
    ]);
    expect(schedule.fixed).toContainEqual({ code: 'audit_event', years: 10, runsAs: 'audit.event_month' });
    // DPO-6: the fixed periods a registered category runs say so.
    expect(schedule.fixed).toContainEqual({ code: 'inactive_account', years: 4, runsAs: 'user.inactive_account' });
    expect(schedule.fixed).toContainEqual({ code: 'correspondence', years: 1, runsAs: 'crm.correspondence' });
    expect(await eventsOf(s.db, { action: 'retention.schedule.read' })).toHaveLength(1);

    expect(await s.dpo.retention.updateSchedule({ bookingRetentionDays: 14, crmLeadRetentionDays: 365, crmEmployeeRetentionDays: 0 })).toEqual({ changed: ['bookingRetentionDays', 'crmEmployeeRetentionDays'] });
    const organisation = await s.db.selectFrom('organisation').selectAll().where('id', '=', s.organisation.id).executeTakeFirstOrThrow();
    expect([organisation.booking_retention_days, organisation.crm_lead_retention_days, organisation.crm_employee_retention_days]).toEqual([14, 365, 0]);
    expect(await eventsOf(s.db, { action: 'retention.schedule.updated' })).toEqual([
      expect.objectContaining({
        user_id: s.dpoUser.id,
        details: expect.objectContaining({ changed: ['bookingRetentionDays', 'crmEmployeeRetentionDays'], 'old:bookingRetentionDays': 7, 'new:bookingRetentionDays': 14, 'old:crmEmployeeRetentionDays': 30, 'new:crmEmployeeRetentionDays': 0 }),
      }),
    ]);
  });

  it('DPO-6: days outside the bounds are refused, naming the field; nothing changes', async () => {
    const s = await setting();
    const cases = [
      [{ bookingRetentionDays: 0, crmLeadRetentionDays: 365, crmEmployeeRetentionDays: 30 }, 'bookingRetentionDays'],
      [{ bookingRetentionDays: 366, crmLeadRetentionDays: 365, crmEmployeeRetentionDays: 30 }, 'bookingRetentionDays'],
      [{ bookingRetentionDays: 7, crmLeadRetentionDays: 29, crmEmployeeRetentionDays: 30 }, 'crmLeadRetentionDays'],
      [{ bookingRetentionDays: 7, crmLeadRetentionDays: 365, crmEmployeeRetentionDays: 1.5 }, 'crmEmployeeRetentionDays'],
    ] as const;
    for (const [input, field] of cases) {
      const error = await s.dpo.retention.updateSchedule(input).then(
        () => null,
        (caught: unknown) => caught,
      );
      expect(error).toMatchObject({ code: 'BAD_REQUEST' });
      expect(fieldErrorsOf(error)?.map((fieldError) => [fieldError.field, fieldError.messageKey])).toEqual([[field, 'validation.days_out_of_range']]);
    }
    const organisation = await s.db.selectFrom('organisation').select('booking_retention_days').where('id', '=', s.organisation.id).executeTakeFirstOrThrow();
    expect(organisation.booking_retention_days).toBe(7);
    expect(await eventsOf(s.db, { action: 'retention.schedule.updated' })).toEqual([]);
  });

  it('DPO-6: the last runs show what each did in this organisation only, from its own events', async () => {
    const s = await setting();
    const other = await createOrganisation(s.db);
    const runAt = new Date(s.clock.now().getTime() - 2 * HOUR);
    await s.db.insertInto('background_job').values({ organisation_id: null, kind: 'retention.run', run_at: runAt, status: 'done', finished_at: new Date(runAt.getTime() + 60_000) }).execute();
    const context = { now: new Date(runAt.getTime() + 1000), clientIp: undefined };
    await writeAuditEvent(s.db, systemActor(s.organisation.id, 'retention'), { action: 'retention.run', objectType: 'retention_category', objectId: 'visit.booking', details: { category: 'visit.booking', batch: 1, anonymised: 2, ids: ['a', 'b'] } }, context);
    await writeAuditEvent(s.db, systemActor(other.id, 'retention'), { action: 'retention.run', objectType: 'retention_category', objectId: 'visit.booking', details: { category: 'visit.booking', batch: 1, anonymised: 5, ids: ['c', 'd', 'e', 'f', 'g'] } }, context);
    await writeAuditEvent(s.db, systemActor(null, 'retention'), { action: 'retention.run', objectType: 'retention_category', objectId: 'visit.booking', details: { category: 'visit.booking', batches: 1, anonymised: 7, isComplete: true } }, context);
    const runs = await s.dpo.retention.runs();
    expect(runs).toEqual([expect.objectContaining({ status: 'done', runAt: runAt.toISOString(), anonymised: [{ category: 'visit.booking', count: 2 }] })]);
    expect(await s.admin.retention.runs()).toHaveLength(1);
    expect(await eventsOf(s.db, { action: 'retention.runs.read' })).toHaveLength(2);
  });

  it('DPO-6: the admin reads the schedule but does not change it; a clinician sees none of it', async () => {
    const s = await setting();
    await expect(s.admin.retention.schedule()).resolves.toMatchObject({ editable: expect.any(Array) });
    await expect(s.admin.retention.updateSchedule({ bookingRetentionDays: 10, crmLeadRetentionDays: 365, crmEmployeeRetentionDays: 30 })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s.clinician.retention.schedule()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(s.clinician.retention.runs()).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
