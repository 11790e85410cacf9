import { type Kysely, sql } from 'kysely';

// The audit log grows by millions of events a year (AUD-5 keeps them ten years): it becomes a table
// partitioned by month of occurred_at (PostgreSQL's declarative partitioning), so a period's search
// and the DPO's reports read only their months, and a month past its retention can later be dropped
// whole instead of deleted row by row. The sealer and the verifier read by txid and id as before:
// the parent table answers across partitions. Frozen in time: no application imports.
//
// - Partitions live in a schema of their own (`audit_partition`): the application reaches events only
//   through `public.audit_event`, whose grants (select, insert) are the only ones it has.
// - Identity columns on partitioned tables arrive in PostgreSQL 17; this runs on 15 too, so the id
//   comes from a sequence of its own. The primary key must hold the partition key: (id, occurred_at).
// - A partition per calendar month (UTC bounds), made ahead of time by audit_event_ensure_partition,
//   which the server calls daily for the months ahead (jobs.ts) with the application's rights: it is a
//   SECURITY DEFINER function that can make only that one kind of table. A default partition catches
//   an event whose month has no partition yet (a server that did not run for months) rather than
//   refuse the action it belongs to.
// - Append-only stays for everyone: the row triggers are cloned onto every partition by PostgreSQL;
//   the truncate trigger is not, so each partition gets its own.
// - The events, with their ids and txids, move over unchanged: the seals' hashes still hold.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table audit_event rename to audit_event_unpartitioned`.execute(db);
  // Every index the log has now (the first migration's and any added since) is made again on the new
  // table under its own name; the old ones step aside first.
  const { rows: indexes } = await sql<{ indexname: string; indexdef: string }>`
    select indexname, indexdef from pg_indexes
     where schemaname = 'public' and tablename = 'audit_event_unpartitioned' and indexname <> 'audit_event_pkey'
     order by indexname`.execute(db);
  for (const index of indexes) await sql`alter index ${sql.id(index.indexname)} rename to ${sql.id(`${index.indexname}_unpartitioned`)}`.execute(db);
  await sql`alter table audit_event_unpartitioned rename constraint audit_event_pkey to audit_event_unpartitioned_pkey`.execute(db);

  await sql`create schema audit_partition`.execute(db);
  await sql`create sequence audit_event_id as bigint`.execute(db);
  await sql`
    create table audit_event (
      id bigint not null default nextval('audit_event_id'),
      txid bigint not null default (pg_current_xact_id()::text::bigint),
      organisation_id uuid references organisation (id),
      occurred_at timestamptz not null,
      user_id uuid,
      user_display_name text,
      user_roles text[] not null default '{}',
      profession text,
      session_id uuid,
      auth_method text,
      device_id text,
      action text not null,
      outcome text not null check (outcome in ('allowed', 'denied')),
      reason text,
      patient_id uuid,
      object_type text,
      object_id text,
      basis text,
      client_ip inet,
      details jsonb not null default '{}'::jsonb,
      primary key (id, occurred_at)
    ) partition by range (occurred_at)`.execute(db);
  await sql`alter sequence audit_event_id owned by audit_event.id`.execute(db);
  for (const index of indexes) {
    await sql.raw(index.indexdef.replace(' ON public.audit_event_unpartitioned ', ' ON public.audit_event ').replace(' ON audit_event_unpartitioned ', ' ON audit_event ')).execute(db);
  }
  await sql`
    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function refuse_audit_change()`.execute(db);
  await sql`
    create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function refuse_audit_change()`.execute(db);

  await sql`
    create function audit_event_ensure_partition(month date) returns boolean
      language plpgsql security definer set search_path = pg_catalog, public as $$
    declare
      first_day date := date_trunc('month', month)::date;
      name text := 'audit_event_' || to_char(first_day, 'YYYY_MM');
    begin
      -- Two instances making the same month: the second waits here, then finds it made.
      perform pg_advisory_xact_lock(hashtext('journalkontor.audit_event_partition'));
      if exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname = 'audit_partition' and c.relname = name) then
        return false;
      end if;
      execute format('create table audit_partition.%I partition of public.audit_event for values from (%L) to (%L)',
        name, (first_day::timestamp at time zone 'UTC'), ((first_day + interval '1 month')::timestamp at time zone 'UTC'));
      execute format('create trigger audit_event_no_truncate before truncate on audit_partition.%I
        for each statement execute function public.refuse_audit_change()', name);
      return true;
    end $$`.execute(db);
  await sql`revoke all on function audit_event_ensure_partition(date) from public`.execute(db);
  await sql`grant execute on function audit_event_ensure_partition(date) to journalkontor_app`.execute(db);
  await sql`create table audit_partition.audit_event_default partition of audit_event default`.execute(db);
  await sql`create trigger audit_event_no_truncate before truncate on audit_partition.audit_event_default
    for each statement execute function refuse_audit_change()`.execute(db);
  // Every month that holds events now, and a year ahead.
  await sql`
    select audit_event_ensure_partition(month::date)
      from generate_series(
             date_trunc('month', least(coalesce((select min(occurred_at) from audit_event_unpartitioned), now()), now()) at time zone 'UTC'),
             date_trunc('month', now() at time zone 'UTC') + interval '12 months',
             interval '1 month') as month`.execute(db);

  await sql`
    insert into audit_event (id, txid, organisation_id, occurred_at, user_id, user_display_name, user_roles, profession, session_id,
                             auth_method, device_id, action, outcome, reason, patient_id, object_type, object_id, basis, client_ip, details)
    select id, txid, organisation_id, occurred_at, user_id, user_display_name, user_roles, profession, session_id,
           auth_method, device_id, action, outcome, reason, patient_id, object_type, object_id, basis, client_ip, details
      from audit_event_unpartitioned`.execute(db);
  await sql`select setval('audit_event_id', coalesce((select max(id) from audit_event), 0) + 1, false)`.execute(db);
  await sql`drop table audit_event_unpartitioned`.execute(db);
  await sql`grant select, insert on audit_event to journalkontor_app`.execute(db);
  await sql`grant usage on sequence audit_event_id to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
