import { type Kysely, sql } from 'kysely';

// Audit events are kept ten years (DPO-6, AUD-5), then their month leaves the log whole: its
// partition is detached and dropped. Frozen in time: no application imports.
//
// - The application role may still not delete or drop anything of the log. Two SECURITY DEFINER
//   functions, owned like audit_event_ensure_partition, are the one way: audit_retirement_plan says
//   which months may go (read only), audit_retire_partitions drops them. Neither takes a month from
//   the caller: they find the months themselves, and only a partition whose whole range (its upper
//   bound) lies before now() − 10 years goes. The caller's `as_of` (an injectable clock) can only
//   make that earlier, never later: least(as_of, now()).
// - Ten years on Oslo's calendar (the organisation's clock); the partitions are UTC months (the
//   partitioning migration's bounds), so a month goes once its last UTC instant is that old.
// - The seals stay (small; they keep the chain whole). What went is recorded, append-only, in
//   audit_retirement: the month, how many events, the first and last seal holding them, the hash of
//   that last seal, when, which run. The verifier accepts the missing events of a seal only when a
//   record covers that seal, and the counts of the records must add up to the seals they cover.
// - The rule for a seal that spans months: a month goes only together with every month that shares
//   a seal with it, and only when all of those are past ten years. Concretely, a run picks the
//   latest month boundary b (before now − 10 years) such that every event before b is sealed, and
//   no event from b onwards lies in any seal up to the last one holding an event before b. The seals
//   up to there then hold events of retired months only: each is wholly retired or wholly live,
//   never half. A seal that reaches into a live month keeps its old months (until the newer month
//   is old too). A run also refuses when events before b are not exactly what those seals hold
//   (an event removed earlier would be laundered by the drop; the verifier names it instead), or
//   when the default partition holds any (those could not be dropped with their month).
// - One run at a time (an advisory lock; a second instance skips). While it judges, the months it
//   may drop and the default partition are locked against inserts (SHARE); the detach then needs
//   the log's parent table for a moment (ACCESS EXCLUSIVE), bounded by lock_timeout so writers
//   never wait long: a run that cannot get it fails and the daily job tries again.
// - audit_seal gets an index on txid_to: "the seal holding txid t" is the first seal whose
//   txid_to is above t (the ranges are contiguous from 0).

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index audit_seal_txid_to on audit_seal (txid_to)`.execute(db);

  await sql`
    create table audit_retirement (
      id bigint generated always as identity primary key,
      -- The month's first day and the partition's bounds (UTC), as dropped.
      month date not null,
      range_from timestamptz not null,
      range_to timestamptz not null,
      partition_name text not null,
      event_count bigint not null check (event_count >= 0),
      -- [{"organisationId": uuid | null, "count": n}]: each organisation's DPO sees its own share.
      events_by_organisation jsonb not null default '[]'::jsonb,
      -- The seals that held the month's events (null when it had none), and the hash of the last one.
      first_seal_seq bigint,
      last_seal_seq bigint,
      chain_hash bytea,
      -- now() − 10 years as the run judged it (Oslo calendar): the month's range ended before it.
      cutoff timestamptz not null,
      retired_at timestamptz not null default now(),
      run_id uuid not null,
      check (range_to <= cutoff),
      check ((first_seal_seq is null) = (event_count = 0) and (last_seal_seq is null) = (event_count = 0)
             and (chain_hash is null) = (event_count = 0)),
      check (first_seal_seq <= last_seal_seq)
    )`.execute(db);
  await sql`create index audit_retirement_seals on audit_retirement (last_seal_seq)`.execute(db);
  await sql`
    create trigger audit_retirement_append_only before update or delete on audit_retirement
      for each row execute function refuse_audit_change()`.execute(db);
  await sql`
    create trigger audit_retirement_no_truncate before truncate on audit_retirement
      for each statement execute function refuse_audit_change()`.execute(db);
  // Read only: a record is written by audit_retire_partitions alone, with the drop it records.
  await sql`grant select on audit_retirement to journalkontor_app`.execute(db);

  // Every monthly partition with its bounds, read from the catalogue (rendered in UTC, whatever the
  // caller's zone): what the partitions really are, not what their names say.
  await sql`
    create function audit_partition_bounds()
      returns table (partition_name text, range_from timestamptz, range_to timestamptz)
      language sql stable security definer
      set search_path = pg_catalog, public
      set timezone = 'UTC'
    as $$
      select c.relname::text, m[1]::timestamptz, m[2]::timestamptz
        from pg_inherits i
        join pg_class c on c.oid = i.inhrelid
        join pg_namespace n on n.oid = c.relnamespace
        cross join lateral regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \\(''([^'']+)''\\) TO \\(''([^'']+)''\\)') as m
       where i.inhparent = 'public.audit_event'::regclass and n.nspname = 'audit_partition' and m is not null
    $$`.execute(db);

  // Ten years back on Oslo's calendar from the earlier of the caller's clock and the database's.
  await sql`
    create function audit_retention_cutoff(as_of timestamptz) returns timestamptz
      language sql stable
      set search_path = pg_catalog
    as $$
      select ((least(as_of, now()) at time zone 'Europe/Oslo') - interval '10 years') at time zone 'Europe/Oslo'
    $$`.execute(db);

  await sql`
    create function audit_retirement_plan(as_of timestamptz)
      returns table (partition_name text, month date, range_from timestamptz, range_to timestamptz, will_retire boolean, held_because text,
                     cutoff timestamptz, seal_through bigint)
      language plpgsql security definer
      set search_path = pg_catalog, public
      set timezone = 'UTC'
    as $$
    declare
      ten_years_ago timestamptz := public.audit_retention_cutoff(as_of);
      retired_through bigint := coalesce((select max(r.last_seal_seq) from public.audit_retirement r), 0);
      names text[];
      froms timestamptz[];
      boundaries timestamptz[];
      reasons text[] := '{}';
      chosen timestamptz := null;
      chosen_seal bigint := null;
      boundary timestamptz;
      newest_txid bigint;
      holding_seq bigint;
      holding_to bigint;
      events_before bigint;
      sealed_events bigint;
    begin
      -- The months past ten years, newest first: each one's upper bound is a place the log could be cut.
      select array_agg(b.partition_name order by b.range_to desc), array_agg(b.range_from order by b.range_to desc),
             array_agg(b.range_to order by b.range_to desc)
        into names, froms, boundaries
        from public.audit_partition_bounds() b
       where b.range_to <= ten_years_ago;

      -- The latest boundary at which the log can be cut cleanly (see the migration's notes).
      foreach boundary in array coalesce(boundaries, '{}') loop
        if exists (select 1 from audit_partition.audit_event_default e where e.occurred_at < boundary) then
          reasons := reasons || 'events_outside_partitions'::text;
          continue;
        end if;
        select max(e.txid) into newest_txid from public.audit_event e where e.occurred_at < boundary;
        if newest_txid is null then
          chosen := boundary;
          chosen_seal := retired_through;
          exit;
        end if;
        holding_seq := null;
        select s.seq, s.txid_to into holding_seq, holding_to from public.audit_seal s where s.txid_to > newest_txid order by s.txid_to limit 1;
        if holding_seq is null then
          reasons := reasons || 'events_unsealed'::text;
          continue;
        end if;
        if exists (select 1 from public.audit_event e where e.occurred_at >= boundary and e.txid < holding_to) then
          reasons := reasons || 'seal_spans_live_month'::text;
          continue;
        end if;
        chosen := boundary;
        chosen_seal := holding_seq;
        exit;
      end loop;

      if chosen is not null and chosen_seal > retired_through then
        select count(*) into events_before from public.audit_event e where e.occurred_at < chosen;
        select coalesce(sum(s.event_count), 0) into sealed_events from public.audit_seal s where s.seq > retired_through and s.seq <= chosen_seal;
        if events_before <> sealed_events then
          -- Something was removed (or added) below the cut: the verifier names it; nothing is dropped over it.
          reasons := array_fill('events_do_not_match_seals'::text, array[array_length(boundaries, 1)]);
          chosen := null;
          chosen_seal := null;
        end if;
      end if;

      return query
        select d.name, (d.range_from at time zone 'UTC')::date, d.range_from, d.range_to,
               coalesce(d.range_to <= chosen, false),
               case when d.range_to <= chosen then null else reasons[d.position] end,
               ten_years_ago, chosen_seal
          from unnest(names, froms, boundaries) with ordinality as d(name, range_from, range_to, position)
         order by d.range_from;
    end $$`.execute(db);

  await sql`
    create function audit_retire_partitions(as_of timestamptz, run_id uuid)
      returns setof audit_retirement
      language plpgsql security definer
      set search_path = pg_catalog, public
      set timezone = 'UTC'
      -- Writers wait for the detach's lock at most this long; the run fails instead and is tried again tomorrow.
      set lock_timeout = '3s'
    as $$
    declare
      due record;
      stats record;
      first_seq bigint;
      last_seq bigint;
      last_hash bytea;
      by_organisation jsonb;
      retired public.audit_retirement;
    begin
      if not pg_try_advisory_xact_lock(hashtext('journalkontor.audit_retirement')) then
        return;
      end if;
      -- No event may arrive in a month being judged, nor in the default partition, until the drop commits.
      for due in select b.partition_name from public.audit_partition_bounds() b where b.range_to <= public.audit_retention_cutoff(as_of) loop
        execute format('lock table audit_partition.%I in share mode', due.partition_name);
      end loop;
      lock table audit_partition.audit_event_default in share mode;

      for due in select * from public.audit_retirement_plan(as_of) p where p.will_retire order by p.range_from loop
        execute format('select count(*) as events, min(txid) as min_txid, max(txid) as max_txid from audit_partition.%I', due.partition_name) into stats;
        first_seq := null;
        last_seq := null;
        last_hash := null;
        by_organisation := '[]'::jsonb;
        if stats.events > 0 then
          select s.seq into first_seq from public.audit_seal s where s.txid_to > stats.min_txid order by s.txid_to limit 1;
          select s.seq, s.hash into last_seq, last_hash from public.audit_seal s where s.txid_to > stats.max_txid order by s.txid_to limit 1;
          execute format('select coalesce(jsonb_agg(jsonb_build_object(''organisationId'', o.organisation_id, ''count'', o.n) order by o.organisation_id), ''[]''::jsonb)
                            from (select organisation_id, count(*) as n from audit_partition.%I group by organisation_id) as o', due.partition_name) into by_organisation;
        end if;
        insert into public.audit_retirement (month, range_from, range_to, partition_name, event_count, events_by_organisation,
                                             first_seal_seq, last_seal_seq, chain_hash, cutoff, run_id)
          values (due.month, due.range_from, due.range_to, due.partition_name, stats.events, by_organisation,
                  first_seq, last_seq, last_hash, due.cutoff, run_id)
          returning * into retired;
        execute format('alter table public.audit_event detach partition audit_partition.%I', due.partition_name);
        execute format('drop table audit_partition.%I', due.partition_name);
        return next retired;
      end loop;
    end $$`.execute(db);

  await sql`revoke all on function audit_partition_bounds() from public`.execute(db);
  await sql`revoke all on function audit_retention_cutoff(timestamptz) from public`.execute(db);
  for (const signature of ['audit_retirement_plan(timestamptz)', 'audit_retire_partitions(timestamptz, uuid)']) {
    await sql.raw(`revoke all on function ${signature} from public`).execute(db);
    await sql.raw(`grant execute on function ${signature} to journalkontor_app`).execute(db);
  }
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
