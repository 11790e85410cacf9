import { type Kysely, sql } from 'kysely';

// The documented deletion decision (JRN-4; helsepersonelloven §§ 43–44, NORMEN-NOTES R-HPL-3,
// R-INN-4). Journal content can be deleted only under a decision recorded in the same transaction;
// the decision keeps that a deletion took place, by whom, on what ground and why — never what was
// deleted. Frozen in time: no application imports.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per deleted note. note_id has no foreign key: the note it names is gone. It is kept so
  // that the ids already in the audit log (reads, prints) and in shares and blocks stay explainable.
  // No note type, date, author or hash of the text: those would be remnants of the deleted content.
  await sql`
    create table journal_deletion (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null,
      patient_id uuid not null,
      note_id uuid not null unique,
      versions_deleted integer not null check (versions_deleted >= 1),
      -- § 43 first paragraph: wrong or misleading (and a burden to the patient), or obviously not necessary.
      legal_ground text not null check (legal_ground in ('incorrect_or_misleading', 'not_necessary')),
      -- The cumulative conditions, each confirmed by the decider.
      is_harmless_for_general_interests boolean not null check (is_harmless_for_general_interests),
      is_compatible_with_archive_law boolean not null check (is_compatible_with_archive_law),
      requested_at date not null,
      reason text not null check (length(reason) between 1 and 2000),
      decided_by uuid not null,
      decided_at timestamptz not null,
      -- § 43: where possible, in consultation with the author; otherwise why not.
      consulted_author_id uuid,
      author_not_consulted_reason text check (author_not_consulted_reason in ('author_is_decider', 'author_no_longer_employed', 'author_unavailable')),
      -- The transaction that recorded the decision: only that transaction may delete the note.
      txid bigint not null,
      unique (organisation_id, id),
      foreign key (organisation_id, patient_id) references patient (organisation_id, id),
      foreign key (organisation_id, decided_by) references app_user (organisation_id, id),
      foreign key (organisation_id, consulted_author_id) references app_user (organisation_id, id),
      check ((consulted_author_id is null) <> (author_not_consulted_reason is null))
    )`.execute(db);
  await sql`create index journal_deletion_patient on journal_deletion (patient_id, decided_at desc)`.execute(db);

  // A decision must describe a real deletion of a real journal note: the note exists in this
  // organisation and patient's journal, is signed (a draft is not journal content yet), the count of
  // versions is the true one, and the consulted author is its author. The transaction id is set here,
  // not taken from the caller.
  await sql`
    create function check_journal_deletion() returns trigger language plpgsql as $$
    declare
      note record;
    begin
      select n.author_id, n.status into note
        from journal_note n
       where n.id = new.note_id and n.organisation_id = new.organisation_id and n.patient_id = new.patient_id;
      if not found or note.status = 'draft' then
        raise exception 'a deletion decision must name a signed note of the patient' using errcode = 'integrity_constraint_violation';
      end if;
      if new.versions_deleted <> (select count(*) from journal_note_version v where v.note_id = new.note_id) then
        raise exception 'a deletion decision must count every version of the note' using errcode = 'integrity_constraint_violation';
      end if;
      if new.consulted_author_id is not null and new.consulted_author_id <> note.author_id then
        raise exception 'the consulted author must be the author of the note' using errcode = 'integrity_constraint_violation';
      end if;
      if new.author_not_consulted_reason = 'author_is_decider' and new.decided_by <> note.author_id then
        raise exception 'the decider is not the author of the note' using errcode = 'integrity_constraint_violation';
      end if;
      new.txid := pg_current_xact_id()::text::bigint;
      return new;
    end $$`.execute(db);
  await sql`create trigger journal_deletion_checked before insert on journal_deletion
    for each row execute function check_journal_deletion()`.execute(db);

  // And the other way round: a decision that commits while its note still exists would record a
  // deletion that did not happen. Checked at commit, after the deletes of the same transaction.
  await sql`
    create function check_journal_deletion_carried_out() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from journal_note where id = new.note_id)
         or exists (select 1 from journal_note_version where note_id = new.note_id) then
        raise exception 'a deletion decision was recorded but its note was not deleted' using errcode = 'integrity_constraint_violation';
      end if;
      return null;
    end $$`.execute(db);
  await sql`create constraint trigger journal_deletion_carried_out after insert on journal_deletion
    deferrable initially deferred for each row execute function check_journal_deletion_carried_out()`.execute(db);

  // The decision is itself documentation: insert-only for everyone, like the audit log (AUD-4).
  await sql`
    create function refuse_journal_deletion_change() returns trigger language plpgsql as $$
    begin
      raise exception 'deletion decisions cannot change (% on %)', tg_op, tg_table_name
        using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  await sql`create trigger journal_deletion_append_only before update or delete on journal_deletion
    for each row execute function refuse_journal_deletion_change()`.execute(db);
  await sql`create trigger journal_deletion_no_truncate before truncate on journal_deletion
    for each statement execute function refuse_journal_deletion_change()`.execute(db);

  // The immutability triggers of 2026-11-22T10-00, now with the one way to delete: a decision for
  // the note recorded earlier in the same transaction. Changes to signed text stay refused.
  await sql`
    create or replace function refuse_signed_version_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if exists (select 1 from journal_deletion d
                    where d.note_id = old.note_id and d.organisation_id = old.organisation_id
                      and d.txid = pg_current_xact_id()::text::bigint) then
          return old;
        end if;
        raise exception 'journal versions are deleted only under a deletion decision' using errcode = 'insufficient_privilege';
      end if;
      if old.signed_at is not null then
        raise exception 'a signed journal version cannot change' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db);
  await sql`
    create or replace function refuse_signed_note_change() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if exists (select 1 from journal_deletion d
                    where d.note_id = old.id and d.organisation_id = old.organisation_id
                      and d.txid = pg_current_xact_id()::text::bigint) then
          return old;
        end if;
        raise exception 'journal notes are deleted only under a deletion decision' using errcode = 'insufficient_privilege';
      end if;
      if old.status <> 'draft' and (new.patient_id, new.author_id, new.note_type, new.consultation_date, new.organisation_id)
          is distinct from (old.patient_id, old.author_id, old.note_type, old.consultation_date, old.organisation_id) then
        raise exception 'a signed journal note cannot change' using errcode = 'insufficient_privilege';
      end if;
      if old.status <> 'draft' and new.status = 'draft' then
        raise exception 'a signed journal note cannot become a draft again' using errcode = 'insufficient_privilege';
      end if;
      return new;
    end $$`.execute(db);
  // TRUNCATE bypasses row triggers: refuse it on the journal too.
  await sql`
    create function refuse_journal_truncate() returns trigger language plpgsql as $$
    begin
      raise exception 'the journal cannot be truncated (%)', tg_table_name using errcode = 'insufficient_privilege';
    end $$`.execute(db);
  for (const table of ['journal_note', 'journal_note_version']) {
    await sql`create trigger ${sql.id(`${table}_no_truncate`)} before truncate on ${sql.id(table)}
      for each statement execute function refuse_journal_truncate()`.execute(db);
  }

  await sql`grant select, insert on journal_deletion to journalkontor_app`.execute(db);
  // DELETE is granted so the deletion path can run as the application; the triggers above decide.
  await sql`grant delete on journal_note, journal_note_version to journalkontor_app`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('Migrations are forward-only');
}
