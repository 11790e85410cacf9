import { type Kysely, sql } from 'kysely';

// The same rules as 2026-12-10T10-00 ("tjenstlig behov", ACC-2…4; docs/adr/0004, 0017), the same
// signature and rows, as ONE SQL query instead of PL/pgSQL (issue 13). A `language sql` function
// that is a single SELECT is inlined by PostgreSQL into the statement that calls it: the journal
// open's statement then plans the decision once, as part of its own prepared plan, where the
// PL/pgSQL version ran half a dozen statements of its own per call (measured with pgbench at two
// clients: the decision alone 0.36 ms of a 0.41 ms call was PL/pgSQL's, not the lookups').
//
// The order of the rules is unchanged and explicit: a block holds against every basis; then
// COALESCE takes the first basis found, in order — a treatment relationship (assigned clinician or
// care team; else a consultation or home visit from 14 days ahead to 90 days back), a read-share
// whose consent is not withdrawn (a whole-journal share first), an active break-glass grant, and for
// a DPO an open access or portability case. COALESCE evaluates only the arguments it needs
// (documented PostgreSQL behaviour), so the rarer bases are still looked up only for patients
// without an earlier one. A patient of another organisation, or none, is `patient_not_found`.
// SECURITY INVOKER: it reads as the caller, with the caller's rights. Frozen in time: no
// application imports.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type journal_access_basis as (basis text, grant_id uuid, only_note_ids uuid[], access_ends_at timestamptz)`.execute(db);
  await sql`
    create or replace function journal_access_decisions(organisation uuid, deciding_user uuid, patient_ids uuid[], decided_at timestamptz)
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
    language sql stable
    as $$
      select asked.id,
             coalesce((found.basis).basis is not null, false),
             (found.basis).basis,
             (found.basis).grant_id,
             (found.basis).only_note_ids,
             case when (found.basis).basis is not null then found.blocked end,
             (found.basis).access_ends_at,
             case when found.id is null then 'patient_not_found'
                  when found.is_blocked then 'blocked'
                  when (found.basis).basis is null then 'no_basis' end,
             -- No basis: break-glass is the way left (ACC-3); never past a block or for an unknown id.
             case when (found.basis).basis is not null then null::boolean
                  when found.id is null or found.is_blocked then false
                  else true end
        from (select distinct unnest(patient_ids) as id) as asked
        left join lateral (
          select p.id, blocks.is_blocked, blocks.blocked,
                 case when not blocks.is_blocked then coalesce(
                   (select row('treatment_relationship', r.id, null, null)::journal_access_basis
                      from care_relationship r
                     where r.patient_id = p.id and r.user_id = deciding_user
                       and r.starts_at <= decided_at and (r.ends_at is null or r.ends_at > decided_at)
                     limit 1),
                   -- A consultation or home visit booked with this clinician: a treatment relationship around it.
                   (select row('treatment_relationship', a.id, null, null)::journal_access_basis
                      from appointment a
                     where a.patient_id = p.id and a.clinician_id = deciding_user and a.status <> 'cancelled'
                       and a.starts_at <= decided_at + make_interval(days => 14)
                       and a.starts_at >= decided_at - make_interval(days => 90)
                     order by a.starts_at desc, a.id
                     limit 1),
                   -- SHR-1…3: an active read-share; withdrawing the consent ends it at once. A whole-journal share wins.
                   (select row('read_share', s.id, case when s.scope = 'whole_journal' then null else coalesce(s.note_ids, '{}') end, s.ends_at)::journal_access_basis
                      from read_share s
                      join patient_consent c on c.id = s.consent_id
                     where s.patient_id = p.id and s.grantee_id = deciding_user and s.revoked_at is null
                       and s.starts_at <= decided_at and s.ends_at > decided_at and c.withdrawn_at is null
                     order by s.scope desc, s.id
                     limit 1),
                   -- ACC-3: break-glass the clinician invoked, for its 4 hours.
                   (select row('break_glass', g.id, null, g.expires_at)::journal_access_basis
                      from break_glass_access g
                     where g.patient_id = p.id and g.user_id = deciding_user
                       and g.started_at <= decided_at and g.expires_at > decided_at and g.ended_at is null
                     order by g.started_at desc, g.id
                     limit 1),
                   -- DPO-5: a DPO, while an open access or portability case names the patient (a block still holds).
                   (select row('dsr_case', d.id, null, null)::journal_access_basis
                      from dsr_case d
                      join role_grant rg on rg.user_id = deciding_user and rg.role = 'dpo' and rg.revoked_at is null
                     where d.patient_id = p.id and d.organisation_id = organisation
                       and d.kind in ('access', 'portability') and d.status not in ('completed', 'denied')
                     order by d.received_on, d.id
                     limit 1)
                 ) end as basis
            from patient p
           cross join lateral (
             -- ACC-4: a whole-journal block refuses; a partial one hides its notes from this user.
             select coalesce(bool_or(b.scope = 'whole_journal'), false) as is_blocked,
                    coalesce((select array_agg(distinct note_id)
                                from patient_block pb, unnest(pb.note_ids) as note_id
                               where pb.patient_id = p.id and pb.blocked_user_id = deciding_user and pb.lifted_at is null), '{}') as blocked
               from patient_block b
              where b.patient_id = p.id and b.blocked_user_id = deciding_user and b.lifted_at is null
           ) as blocks
           where p.id = asked.id and p.organisation_id = organisation
          -- Not pulled up into the outer query: the basis below is read field by field, and pulled
          -- up, each field would repeat the whole COALESCE with its lookups.
          offset 0
        ) as found on true
       where asked.id is not null
    $$`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
