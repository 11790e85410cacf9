import { sql } from 'kysely';
import { publishChange } from '../live/publish';
import type { DueItem, RetentionCategory } from '../retention/category';
import { organisationCutoffs } from '../retention/cutoffs';

/**
 * Booking personal data (VIS-4): what the person typed goes `organisation.booking_retention_days`
 * (default 7) after the visit ended (completed or cancelled); a hold (complaint, incident, DSR)
 * stops it for that booking. The visit's operational facts stay for statistics, and the patient
 * link stays: the journal note is the patient record, kept under its own law.
 */

const DAY_MS = 86_400_000;

// Each organisation's cut-off is a constant (retention/cutoffs.ts): the scan is then a range of the
// partial index `home_visit_booking_retention` (organisation, end of visit) per organisation, no join
// and no sort — cheap when a million bookings are due and when almost none are.

/** Due: finished, not yet anonymised, not held, ended at or before the organisation's cut-off. */
const isDue = (cutoff: Date) => sql`
  anonymised_at is null and status in ('completed', 'cancelled') and retention_hold is null
  and coalesce(completed_at, cancelled_at) <= ${cutoff}`;

export const bookingRetentionCategory: RetentionCategory = {
  name: 'visit.booking',
  descriptionKey: 'retention.category.visitBooking.description',
  keeps: ['retention.category.visitBooking.keepsOperational', 'retention.category.visitBooking.keepsTimeline', 'retention.category.visitBooking.keepsPatientLink'],

  async findDue(trx, { now, limit, organisationId }) {
    // No keyset needed: an anonymised booking leaves the due set (and the partial index) at once.
    const found: DueItem[] = [];
    for (const organisation of await organisationCutoffs(trx, now, 'booking_retention_days', organisationId)) {
      if (found.length >= limit) break;
      // Oldest first, in the partial index's own order: without the ORDER BY the planner took a
      // sequential scan "to find 500 rows soon", which reads past every booking anonymised before
      // (they lie first in the table) — measured at 1.6 s a batch after 300,000 of a million.
      // SKIP LOCKED: a booking a coordinator is changing right now waits for the next run, and the
      // coordinator never waits for retention.
      const { rows } = await sql<{ id: string }>`
        select id from home_visit_booking
         where organisation_id = ${organisation.id} and ${isDue(organisation.cutoff)}
         order by coalesce(completed_at, cancelled_at)
         limit ${limit - found.length}
         for update skip locked`.execute(trx);
      for (const row of rows) found.push({ id: row.id, organisationId: organisation.id });
    }
    return found;
  },

  async anonymise(trx, ids, now) {
    if (ids.length === 0) return 0;
    // An SMS or e-mail to the person still waiting in the outbox when the booking's data goes will
    // never be sent: its body (what they typed, echoed) goes with the booking (PLAT-7). Delivered
    // ones were purged at delivery already; the pending partial index keeps this lookup small.
    await sql`
      update outbox_message m set body = null, purged_at = ${now}, status = 'failed'
        from home_visit_booking b
       where b.id = any(${ids}::uuid[]) and m.status = 'pending' and m.body is not null
         and m.organisation_id = b.organisation_id and m.channel in ('sms', 'email')
         and m.recipient in (b.phone, b.email)`.execute(trx);
    // A change like any other (the dispatch contract): a new version, and open boards and doctors'
    // lists hear of it and refetch — they then show the booking without its personal data.
    const { rows } = await sql<{ id: string; organisation_id: string }>`
      update home_visit_booking
         set full_name = null, street = null, postcode = null, city = null, gender = null, date_of_birth = null,
             national_id = null, phone = null, email = null, reason = null, anonymised_at = ${now},
             version = version + 1, updated_at = ${now}
       where id = any(${ids}::uuid[]) and anonymised_at is null
      returning id, organisation_id`.execute(trx);
    const byOrganisation = new Map<string, string[]>();
    for (const row of rows) {
      const list = byOrganisation.get(row.organisation_id);
      if (list) list.push(row.id);
      else byOrganisation.set(row.organisation_id, [row.id]);
    }
    for (const [organisationId, changed] of byOrganisation) await publishChange(trx, { organisationId, topic: 'visits', ids: changed });
    return rows.length;
  },

  async countDue(trx, { now, organisationId }) {
    let count = 0;
    let oldest: Date | null = null;
    for (const organisation of await organisationCutoffs(trx, now, 'booking_retention_days', organisationId)) {
      const { rows } = await sql<{ count: string; endedAt: Date | null }>`
        select count(*)::text as count, min(coalesce(completed_at, cancelled_at)) as "endedAt"
          from home_visit_booking where organisation_id = ${organisation.id} and ${isDue(organisation.cutoff)}`.execute(trx);
      const row = rows[0];
      count += Number(row?.count ?? 0);
      if (row?.endedAt) {
        // Due since the end of the visit plus the organisation's days.
        const dueAt = new Date(row.endedAt.getTime() + organisation.days * DAY_MS);
        if (!oldest || dueAt < oldest) oldest = dueAt;
      }
    }
    return { count, oldestDueAt: oldest };
  },
};
