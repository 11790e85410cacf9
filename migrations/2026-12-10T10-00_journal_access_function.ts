import { type Kysely, sql } from 'kysely';

// "Tjenstlig behov" (ACC-2…4) as a database function: the one definition of whether a user may open
// a patient's journal and on what basis (docs/adr/0004, 0017). It moved here from TypeScript so that
// opening a journal — the decision, the patient, the first page of notes and the read's audit event —
// is one statement and one round trip (issue 13); the TypeScript side only calls it and reads its
// rows. Frozen in time: no application imports.
//
// The order of the rules, as before: a block ("sperring") holds against every basis; then a
// treatment relationship (assigned clinician or care team; else a consultation or home visit from
// 14 days ahead to 90 days back); then a read-share whose consent is not withdrawn; then an active
// break-glass grant; last, for a DPO only, an open access or portability case naming the patient.
// A patient of another organisation, or none, is `patient_not_found`, like a made-up id.
//
// PL/pgSQL rather than one SQL query: its statements are planned once per connection and reused,
// and the rarer bases are asked only for the patients still without one, one statement per kind of
// basis for all of them (a list decides for many patients at once). Planning every rare basis's
// subquery on every read cost more than it saved (measured, ADR 0004). SECURITY INVOKER: it reads
// as the caller, with the caller's rights.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function journal_access_decisions(organisation uuid, deciding_user uuid, patient_ids uuid[], decided_at timestamptz)
    returns table (
      patient_id uuid,
      is_allowed boolean,
      basis text,
      grant_id uuid,
      only_note_ids uuid[],
      blocked_note_ids uuid[],
      access_ends_at timestamptz,
      reason text,
      has_break_glass_option boolean
    )
    language plpgsql stable
    as $$
    #variable_conflict use_column
    declare
      found_ids uuid[] := '{}';
      undecided uuid[] := '{}';
      -- The notes a partial block hides from this user, per undecided patient (kept for the later bases).
      hidden jsonb := '{}';
      candidate record;
    begin
      for candidate in
        select p.id,
               coalesce((select bool_or(b.scope = 'whole_journal') from patient_block b
                          where b.patient_id = p.id and b.blocked_user_id = deciding_user and b.lifted_at is null), false) as is_blocked,
               coalesce((select array_agg(distinct note_id) from patient_block b, unnest(b.note_ids) as note_id
                          where b.patient_id = p.id and b.blocked_user_id = deciding_user and b.lifted_at is null), '{}') as blocked,
               (select r.id from care_relationship r
                 where r.patient_id = p.id and r.user_id = deciding_user
                   and r.starts_at <= decided_at and (r.ends_at is null or r.ends_at > decided_at)
                 limit 1) as relationship_id
          from patient p
         where p.id = any(patient_ids) and p.organisation_id = organisation
      loop
        found_ids := found_ids || candidate.id;
        if candidate.is_blocked then
          return query select candidate.id, false, null::text, null::uuid, null::uuid[], null::uuid[], null::timestamptz, 'blocked'::text, false;
        elsif candidate.relationship_id is not null then
          return query select candidate.id, true, 'treatment_relationship'::text, candidate.relationship_id, null::uuid[], candidate.blocked, null::timestamptz, null::text, null::boolean;
        else
          undecided := undecided || candidate.id;
          hidden := hidden || jsonb_build_object(candidate.id::text, to_jsonb(candidate.blocked));
        end if;
      end loop;

      return query
        select missing, false, null::text, null::uuid, null::uuid[], null::uuid[], null::timestamptz, 'patient_not_found'::text, false
          from (select distinct unnest(patient_ids) as missing) as asked
         where missing is not null and not (missing = any(found_ids));

      if cardinality(undecided) = 0 then return; end if;

      -- A consultation or home visit booked with this clinician: a treatment relationship around it.
      for candidate in
        select distinct on (a.patient_id) a.patient_id, a.id
          from appointment a
         where a.patient_id = any(undecided) and a.clinician_id = deciding_user and a.status <> 'cancelled'
           and a.starts_at <= decided_at + make_interval(days => 14)
           and a.starts_at >= decided_at - make_interval(days => 90)
         order by a.patient_id
      loop
        undecided := array_remove(undecided, candidate.patient_id);
        return query select candidate.patient_id, true, 'treatment_relationship'::text, candidate.id, null::uuid[],
          array(select jsonb_array_elements_text(hidden -> candidate.patient_id::text)::uuid), null::timestamptz, null::text, null::boolean;
      end loop;
      if cardinality(undecided) = 0 then return; end if;

      -- SHR-1…3: an active read-share; withdrawing the consent ends it at once. A whole-journal share wins.
      for candidate in
        select distinct on (s.patient_id) s.patient_id, s.id, s.scope, s.note_ids, s.ends_at
          from read_share s
          join patient_consent c on c.id = s.consent_id
         where s.patient_id = any(undecided) and s.grantee_id = deciding_user and s.revoked_at is null
           and s.starts_at <= decided_at and s.ends_at > decided_at and c.withdrawn_at is null
         order by s.patient_id, s.scope desc
      loop
        undecided := array_remove(undecided, candidate.patient_id);
        return query select candidate.patient_id, true, 'read_share'::text, candidate.id,
          case when candidate.scope = 'whole_journal' then null::uuid[] else coalesce(candidate.note_ids, '{}') end,
          array(select jsonb_array_elements_text(hidden -> candidate.patient_id::text)::uuid), candidate.ends_at, null::text, null::boolean;
      end loop;
      if cardinality(undecided) = 0 then return; end if;

      -- ACC-3: break-glass the clinician invoked, for its 4 hours.
      for candidate in
        select distinct on (g.patient_id) g.patient_id, g.id, g.expires_at
          from break_glass_access g
         where g.patient_id = any(undecided) and g.user_id = deciding_user
           and g.started_at <= decided_at and g.expires_at > decided_at and g.ended_at is null
         order by g.patient_id
      loop
        undecided := array_remove(undecided, candidate.patient_id);
        return query select candidate.patient_id, true, 'break_glass'::text, candidate.id, null::uuid[],
          array(select jsonb_array_elements_text(hidden -> candidate.patient_id::text)::uuid), candidate.expires_at, null::text, null::boolean;
      end loop;
      if cardinality(undecided) = 0 then return; end if;

      -- DPO-5: a DPO, while an open access or portability case names the patient (a block still holds).
      for candidate in
        select distinct on (d.patient_id) d.patient_id, d.id
          from dsr_case d
          join role_grant g on g.user_id = deciding_user and g.role = 'dpo' and g.revoked_at is null
         where d.patient_id = any(undecided) and d.organisation_id = organisation
           and d.kind in ('access', 'portability') and d.status not in ('completed', 'denied')
         order by d.patient_id, d.received_on
      loop
        undecided := array_remove(undecided, candidate.patient_id);
        return query select candidate.patient_id, true, 'dsr_case'::text, candidate.id, null::uuid[],
          array(select jsonb_array_elements_text(hidden -> candidate.patient_id::text)::uuid), null::timestamptz, null::text, null::boolean;
      end loop;

      -- No basis: break-glass is the way left (ACC-3).
      return query select left_over, false, null::text, null::uuid, null::uuid[], null::uuid[], null::timestamptz, 'no_basis'::text, true
        from unnest(undecided) as left_over;
    end $$`.execute(db);
  await sql`revoke all on function journal_access_decisions(uuid, uuid, uuid[], timestamptz) from public`.execute(db);
  await sql`grant execute on function journal_access_decisions(uuid, uuid, uuid[], timestamptz) to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
