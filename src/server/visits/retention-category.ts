import { sql } from 'kysely';
import { publishChange } from '../live/publish';
import type { DueItem, PersonIdentifiers, PersonItem, ScheduledPersonDataCategory } from '../retention/category';
import { organisationCutoffs } from '../retention/cutoffs';
import { LEGAL_HOLD_GROUND, normalisePhone, notHeld } from '../retention/holds';

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

const CATEGORY = 'visit.booking';

/** A legal hold (DPO-5) on the booking, its patient, its fødselsnummer (by the keyed hash kept beside it), its e-mail or its phone. */
const isNotLegallyHeld = notHeld(CATEGORY, {
  organisationId: sql.ref('home_visit_booking.organisation_id'),
  id: sql.ref('home_visit_booking.id'),
  patientId: sql.ref('home_visit_booking.patient_id'),
  email: sql.ref('home_visit_booking.email'),
  phone: sql.ref('home_visit_booking.phone'),
  nationalIdHmac: sql.ref('home_visit_booking.national_id_hmac'),
  nationalIdPlain: sql.ref('home_visit_booking.national_id'),
});

/** Due: finished, not yet anonymised, not held (its own hold or a legal hold), ended at or before the organisation's cut-off. */
const isDue = (cutoff: Date) => sql`
  anonymised_at is null and status in ('completed', 'cancelled') and retention_hold is null
  and coalesce(completed_at, cancelled_at) <= ${cutoff} and ${isNotLegallyHeld}`;

/** A booking of the person: by the linked patient, the number (plain or its keyed hash), the e-mail or the phone; null when nothing is known. */
function personMatch(person: PersonIdentifiers) {
  const match = [];
  if (person.patientId) match.push(sql`patient_id = ${person.patientId}`);
  if (person.nationalId) match.push(sql`national_id = ${person.nationalId}`);
  if (person.nationalIdHmac) match.push(sql`national_id_hmac = ${person.nationalIdHmac}`);
  if (person.email) match.push(sql`lower(email) = ${person.email.toLowerCase()}`);
  if (person.phone) match.push(sql`regexp_replace(phone, '[^0-9+]', '', 'g') = ${normalisePhone(person.phone)}`);
  return match.length === 0 ? null : sql<boolean>`(${sql.join(match, sql` or `)})`;
}

export const bookingRetentionCategory: ScheduledPersonDataCategory = {
  name: CATEGORY,
  descriptionKey: 'retention.category.visitBooking.description',
  keeps: ['retention.category.visitBooking.keepsOperational', 'retention.category.visitBooking.keepsTimeline', 'retention.category.visitBooking.keepsPatientLink'],
  erasureMethod: 'anonymised',

  /**
   * DPO-5: the person's bookings not yet anonymised, by patient, national identity number, e-mail
   * or phone. A finished (completed or cancelled) booking is anonymised exactly as the schedule
   * does; an open one is kept until the visit is over (the care under way), and one with its own
   * hold (complaint, incident) is kept on the hold.
   */
  async findForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; status: string; createdAt: Date; isHeld: boolean }>`
      select id, status, created_at as "createdAt", retention_hold is not null as "isHeld" from home_visit_booking
       where organisation_id = ${organisationId} and anonymised_at is null and ${match}
       order by created_at, id`.execute(trx);
    return rows.map((row): PersonItem => {
      const isFinished = row.status === 'completed' || row.status === 'cancelled';
      const groundCode = row.isHeld ? LEGAL_HOLD_GROUND : isFinished ? null : 'visit.booking.open';
      return { id: row.id, labelKey: 'dpoErasure.item.booking', labelDate: row.createdAt.toISOString(), count: 1, action: groundCode ? 'keep' : 'anonymise', groundCode };
    });
  },

  eraseForPerson(trx, ids, now) {
    return bookingRetentionCategory.anonymise(trx, ids, now);
  },

  packageSection: 'bookings',

  /** DPO-5: the person's bookings as typed, with their course; an anonymised one by its patient only (what is left of it). */
  async collectForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{
      id: string;
      source: string;
      fullName: string | null;
      street: string | null;
      postcode: string | null;
      city: string | null;
      dateOfBirth: string | null;
      phone: string | null;
      email: string | null;
      reason: string | null;
      urgency: string;
      earliestAt: Date;
      latestAt: Date;
      status: string;
      cancelledAt: Date | null;
      completedAt: Date | null;
    }>`
      select id, source, full_name as "fullName", street, postcode, city, to_char(date_of_birth, 'YYYY-MM-DD') as "dateOfBirth", phone, email, reason,
             urgency, earliest_at as "earliestAt", latest_at as "latestAt", status, cancelled_at as "cancelledAt", completed_at as "completedAt"
        from home_visit_booking
       where organisation_id = ${organisationId} and ${match}
       order by earliest_at, id`.execute(trx);
    return rows.map((row) => ({ ...row, earliestAt: row.earliestAt.toISOString(), latestAt: row.latestAt.toISOString(), cancelledAt: row.cancelledAt?.toISOString() ?? null, completedAt: row.completedAt?.toISOString() ?? null }));
  },

  async ownsObject(trx, organisationId, id) {
    return (await trx.selectFrom('home_visit_booking').select('id').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },

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
             national_id = null, national_id_hmac = null, phone = null, email = null, reason = null, anonymised_at = ${now},
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
