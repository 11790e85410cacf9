import { describe, expect, it } from 'vitest';
import { claimInstallationMode } from '../../../src/server/db/installation';
import { seedDemo } from '../../../src/server/demo/seed';
import { DEMO_BOOKING_FORM_KEY } from '../../../src/server/demo/visit-seed';
import { BOOKING_STATUS_CODES } from '../../../src/shared/visit-schemas';
import { sealEverything } from '../audit/audit-helpers';
import { useTestDatabase } from '../support/test-database';
import { testSecretBox } from '../support/test-server';

describe('the demo\'s home visits (PLAT-5)', () => {
  const database = useTestDatabase();

  it('PLAT-5, VIS-3: the demo has zones, Lars on shift now, and bookings in every status with their timelines', async () => {
    await claimInstallationMode(database.current.db, 'demo');
    const before = new Date();
    const demo = await seedDemo(database.current.db, testSecretBox);
    const db = database.current.db;
    expect((await db.selectFrom('organisation').select('booking_form_key').where('id', '=', demo.organisationId).executeTakeFirstOrThrow()).booking_form_key).toBe(DEMO_BOOKING_FORM_KEY);
    expect((await db.selectFrom('visit_zone').select('name').orderBy('name').execute()).map((zone) => zone.name)).toEqual(['Bærum', 'Oslo sentrum', 'Oslo øst']);
    const lars = await db.selectFrom('app_user').select('id').where('email', '=', 'lege@demo.journalkontor.no').executeTakeFirstOrThrow();
    const shifts = await db.selectFrom('doctor_shift').selectAll().execute();
    expect(shifts).toEqual([expect.objectContaining({ doctor_id: lars.id })]);
    expect(shifts[0]!.starts_at.getTime()).toBeLessThan(before.getTime());
    expect(shifts[0]!.ends_at.getTime()).toBeGreaterThan(before.getTime());

    const bookings = await db.selectFrom('home_visit_booking').selectAll().execute();
    const byStatus = (status: string) => bookings.filter((booking) => booking.status === status);
    for (const status of BOOKING_STATUS_CODES) expect(byStatus(status).length, status).toBeGreaterThan(0);
    expect(byStatus('requested')).toHaveLength(3);
    expect(byStatus('requested').filter((booking) => booking.urgency === 'urgent')).toHaveLength(1);
    expect(byStatus('cancelled')[0]).toMatchObject({ cancel_reason: 'patient_cancelled', doctor_id: null });
    expect(byStatus('completed')[0]!.documentation_note_id).not.toBeNull();
    for (const status of ['assigned', 'en_route', 'arrived', 'completed']) expect(byStatus(status)[0]!.doctor_id, status).toBe(lars.id);
    // Only the finished, documented visit is linked to a patient (web bookings never make one).
    expect(bookings.filter((booking) => booking.patient_id !== null).map((booking) => booking.status)).toEqual(['completed']);

    // Each timeline starts at requested and ends at the booking's status, one row per version.
    const changes = await db.selectFrom('booking_status_change').selectAll().orderBy('id').execute();
    for (const booking of bookings) {
      const timeline = changes.filter((change) => change.booking_id === booking.id);
      expect(timeline[0]).toMatchObject({ from_status: null, to_status: 'requested' });
      expect(timeline.at(-1)!.to_status).toBe(booking.status);
      expect(timeline).toHaveLength(booking.version);
    }
    // The seeded events hold no typed text, and the log still verifies.
    const events = await db.selectFrom('audit_event').selectAll().where('action', 'like', 'visit.%').execute();
    expect(events).toHaveLength(changes.length);
    for (const booking of bookings) for (const event of events) expect(JSON.stringify(event)).not.toContain(booking.full_name!);
    expect(await sealEverything(db)).toMatchObject({ isIntact: true });
  });
});
