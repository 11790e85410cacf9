import { type Kysely, sql } from 'kysely';

// A legal hold on a person reaches their home-visit bookings found by the fødselsnummer (DPO-5,
// DPO-6). A booking holds the number plain (as typed on the form), a hold its keyed hash (the key
// never enters the database): the booking now keeps the keyed hash beside the number, written by
// the application when the booking is taken in, and for a person's existing bookings when a hold
// is set on them. Null with the number, once anonymised. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table home_visit_booking
      add column national_id_hmac bytea check (length(national_id_hmac) = 32),
      add constraint home_visit_booking_hmac_with_number check (national_id_hmac is null or national_id is not null)`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
