import { sql } from 'kysely';
import type { SessionUser } from '../auth/session';
import type { AccessDecision } from '../access/decide';
import type { Executor } from '../db/database';
import { fieldError } from '../errors';
import { requireJournalAccess, requireTreatingClinician } from '../access/gates';
import { AuditedDenial } from '../audit/recorder';
import { answerCorrectionRequest, openCorrectionRequestFor } from '../dpo/cases/corrections';
import type { ServiceDeps } from '../context';
import { signatureAnchor, signedContentHash } from './content-hash';
import type { PrintRequest } from './print';
import { type NotePageJsonRow, readJournalInOneStatement } from './read-statement';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;

type Allowed = Extract<AccessDecision, { isAllowed: true }>;

export interface NoteSummary {
  id: string;
  noteType: string;
  consultationDate: string;
  status: 'draft' | 'signed' | 'amended';
  authorId: string;
  authorName: string;
  currentVersion: number;
  createdAt: string;
  updatedAt: string;
  /** The current text; for another author's draft, null (drafts are the author's own, JRN-2). */
  body: string | null;
  signedAt: string | null;
  signedByName: string | null;
}

/**
 * What the clinician narrowed the journal to: note types, author, consultation period and words
 * the current text must contain. The read event records which filters were used, never the words.
 */
export interface NoteListFilter {
  noteTypes?: string[];
  authorId?: string;
  from?: string;
  to?: string;
  text?: string;
}

/**
 * The words of a text search, each to be found (in any order, case-insensitively) in the note's
 * current text. ILIKE rather than full text: one patient's journal is at most a few thousand notes,
 * already narrowed by the patient index, and a clinician searches for fragments ("metformin",
 * "blodtr") that a stemmed full-text index with its language dictionary would miss.
 */
export function searchTerms(search: string | undefined): string[] {
  if (!search) return [];
  return [...new Set(search.toLocaleLowerCase('nb').split(/\s+/u).filter((term) => term.length > 0))].slice(0, 10);
}

/** A term as an ILIKE pattern that matches the term literally (its % _ and \ escaped). */
function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/gu, (character) => `\\${character}`)}%`;
}

/** The read event's record of a filter: which were used, as codes and ids; never the search words. */
function filterCodes(filter: NoteListFilter | undefined) {
  return {
    ...(filter?.noteTypes && filter.noteTypes.length > 0 ? { filterNoteTypes: filter.noteTypes } : {}),
    ...(filter?.authorId ? { filterAuthorId: filter.authorId } : {}),
    ...(filter?.from ? { filterFrom: filter.from } : {}),
    ...(filter?.to ? { filterTo: filter.to } : {}),
    ...(searchTerms(filter?.text).length > 0 ? { textSearch: true } : {}),
  };
}

/** Which notes a decision lets this user read: none of the blocked ones, only the shared ones. */
function noteFilter(decision: Allowed) {
  return { only: decision.onlyNoteIds, blocked: decision.blockedNoteIds };
}

/**
 * Opening a record (JRN-1, ACC-2…5): the header, the basis and the first page of notes in one request
 * and one statement with its audit events (read-statement.ts, ADR 0017), logged as "open record" with
 * its basis and as the notes shown.
 */
export async function openRecord(deps: Deps, user: SessionUser, input: { patientId: string; limit: number }) {
  const read = await readJournalInOneStatement(deps, user, { patientId: input.patientId, limit: input.limit }, { withRecord: true, filterCodes: {} });
  const patient = read.patient;
  // The decision admitted and the header comes from the same snapshot; a missing one is a broken invariant.
  if (!patient) throw new Error('an admitted journal read returned no patient header');
  return {
    patient: {
      id: patient.id,
      nationalId: patient.national_id,
      givenName: patient.given_name,
      familyName: patient.family_name,
      dateOfBirth: patient.date_of_birth,
      gender: patient.gender as 'female' | 'male' | 'other' | 'unknown',
      address: patient.address,
      phone: patient.phone,
      email: patient.email,
      nextOfKin: patient.next_of_kin,
    },
    basis: read.decision.basis,
    /** When a read-share or break-glass ends (the banner shows it); null for a treatment relationship. */
    accessEndsAt: read.accessEndsAt?.toISOString() ?? null,
    // ACC-4: the clinician is told that blocked information exists, never what it is.
    hasBlockedNotes: read.decision.blockedNoteIds.length > 0,
    isLimitedToSharedNotes: read.decision.onlyNoteIds !== null,
    // JRN-4, DPO-4: what the DPO asks to have corrected, for those who write the journal (a read-share only reads).
    correctionRequests: read.correctionRequests,
    /** The first page of notes, as `journal.notes` gives the next ones. */
    notes: notesPage(read.rows, input.limit),
  };
}

/** A page as the client gets it: at most `limit` notes, and the cursor of the next page if there is one. */
function notesPage(rows: NotePageJsonRow[], limit: number): { notes: NoteSummary[]; next: { consultationDate: string; createdAt: string; id: string } | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const iso = (value: string) => new Date(value).toISOString();
  return {
    notes: page.map((row) => ({
      id: row.id,
      noteType: row.note_type,
      consultationDate: row.consultation_date,
      status: row.status,
      authorId: row.author_id,
      authorName: row.author_name,
      currentVersion: row.current_version,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      body: row.body,
      signedAt: row.signed_at === null ? null : iso(row.signed_at),
      signedByName: row.signer_name,
    })),
    next: rows.length > limit && last ? { consultationDate: last.consultation_date, createdAt: iso(last.created_at), id: last.id } : null,
  };
}

/**
 * listNotes' page query alone: one patient's notes as this user may see them (no drafts of others,
 * the decision's filter applied), newest first, keyset-paged; one row more than the page to tell
 * whether there is a next. Exported for the benchmark's unchecked baseline (tests/bench/journal-read.ts).
 */
export function selectNotesPage(
  trx: Executor,
  user: Pick<SessionUser, 'organisationId' | 'userId'>,
  input: NotesPageInput,
  filter: { only: string[] | null; blocked: string[] },
) {
  return notesPageQuery(trx, user, input, filter).execute();
}

export interface NotesPageInput {
  patientId: string;
  limit: number;
  after?: { consultationDate: string; createdAt: string; id: string };
  filter?: NoteListFilter;
}

/**
 * The page query itself, unexecuted: with the decision's filter given as ids, or — inside the journal
 * read statement (read-statement.ts) — taken from that statement's `decision` row, so the page and the
 * decision are one statement.
 */
export function notesPageQuery(
  trx: Executor,
  user: Pick<SessionUser, 'organisationId' | 'userId'>,
  input: NotesPageInput,
  filter: { only: string[] | null; blocked: string[] } | 'from_decision_row',
) {
  const chosen = input.filter ?? {};
  const terms = searchTerms(chosen.text);
  return trx
    .selectFrom('journal_note as n')
    .innerJoin('journal_note_version as v', (join) => join.onRef('v.note_id', '=', 'n.id').onRef('v.version', '=', 'n.current_version'))
    .innerJoin('app_user as author', 'author.id', 'n.author_id')
    .leftJoin('app_user as signer', 'signer.id', 'v.signed_by')
    .select([
      'n.id',
      'n.note_type',
      'n.consultation_date',
      'n.status',
      'n.author_id',
      'author.display_name as author_name',
      'n.current_version',
      'n.created_at',
      'n.updated_at',
      'v.body',
      'v.signed_at',
      'signer.display_name as signer_name',
    ])
    .where('n.patient_id', '=', input.patientId)
    .where('n.organisation_id', '=', user.organisationId)
    // Another clinician's drafts are not part of the journal yet (JRN-2).
    .where((eb) => eb.or([eb('n.status', '!=', 'draft'), eb('n.author_id', '=', user.userId)]))
    .$if(filter !== 'from_decision_row' && filter.blocked.length > 0, (query) => query.where('n.id', 'not in', (filter as { blocked: string[] }).blocked))
    .$if(filter !== 'from_decision_row' && filter.only !== null, (query) => {
      const only = (filter as { only: string[] }).only;
      return query.where('n.id', 'in', only.length > 0 ? only : ['00000000-0000-0000-0000-000000000000']);
    })
    .$if(filter === 'from_decision_row', (query) =>
      query.where(
        sql<boolean>`exists (select 1 from decision where decision.is_allowed and not (n.id = any(decision.blocked_note_ids)) and (decision.only_note_ids is null or n.id = any(decision.only_note_ids)))`,
      ),
    )
    .$if(chosen.noteTypes !== undefined && chosen.noteTypes.length > 0, (query) => query.where('n.note_type', 'in', chosen.noteTypes!))
    .$if(chosen.authorId !== undefined, (query) => query.where('n.author_id', '=', chosen.authorId!))
    .$if(chosen.from !== undefined, (query) => query.where('n.consultation_date', '>=', chosen.from!))
    .$if(chosen.to !== undefined, (query) => query.where('n.consultation_date', '<=', chosen.to!))
    // The search sees only what the page shows: the current version of a note this user may read.
    .$if(terms.length > 0, (query) => query.where((eb) => eb.and(terms.map((term) => eb('v.body', 'ilike', containsPattern(term))))))
    .$if(input.after !== undefined, (query) =>
      query.where(
        sql<boolean>`(n.consultation_date, n.created_at, n.id) < (${input.after!.consultationDate}::date, ${input.after!.createdAt}::timestamptz, ${input.after!.id}::uuid)`,
      ),
    )
    .orderBy('n.consultation_date', 'desc')
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(input.limit + 1);
}

/**
 * The journal, newest first, keyset-paged (fast with thousands of notes): the pages after the first,
 * and any page of a filtered journal. One statement with its event, like opening (read-statement.ts):
 * every note shown is logged as read in one event (AUD-6 style: which notes, one event).
 */
export async function listNotes(
  deps: Deps,
  user: SessionUser,
  input: NotesPageInput,
): Promise<{ notes: NoteSummary[]; next: { consultationDate: string; createdAt: string; id: string } | null }> {
  const read = await readJournalInOneStatement(deps, user, input, { withRecord: false, filterCodes: filterCodes(input.filter) });
  return notesPage(read.rows, input.limit);
}

async function loadNote(deps: Deps, user: SessionUser, noteId: string, options: { forUpdate?: boolean } = {}) {
  const note = await deps.trx
    .selectFrom('journal_note')
    .select(['id', 'patient_id', 'author_id', 'note_type', 'consultation_date', 'status', 'current_version'])
    .where('id', '=', noteId)
    .where('organisation_id', '=', user.organisationId)
    .$if(options.forUpdate === true, (query) => query.forUpdate())
    .executeTakeFirst();
  if (!note) throw new AuditedDenial({ reason: 'not_found', objectType: 'journal_note', objectId: noteId }, 'not_found');
  const decision = await requireJournalAccess(deps, user, note.patient_id);
  const isHidden =
    decision.blockedNoteIds.includes(note.id) ||
    (decision.onlyNoteIds !== null && !decision.onlyNoteIds.includes(note.id)) ||
    (note.status === 'draft' && note.author_id !== user.userId);
  if (isHidden) {
    throw new AuditedDenial(
      { reason: decision.blockedNoteIds.includes(note.id) ? 'blocked' : 'not_shared', patientId: note.patient_id, objectType: 'journal_note', objectId: note.id },
      'forbidden',
      decision.blockedNoteIds.includes(note.id) ? 'access.blocked' : 'access.no_basis',
    );
  }
  return { note, decision };
}

/** A note with every version, oldest first: the history view (JRN-4: who amended, when, why). */
export async function getNoteHistory(deps: Deps, user: SessionUser, noteId: string) {
  const { note, decision } = await loadNote(deps, user, noteId);
  const versions = await deps.trx
    .selectFrom('journal_note_version as v')
    .innerJoin('app_user as creator', 'creator.id', 'v.created_by')
    .leftJoin('app_user as signer', 'signer.id', 'v.signed_by')
    .select([
      'v.version',
      'v.body',
      'v.amendment_reason',
      'v.created_at',
      'creator.display_name as created_by_name',
      'v.signed_at',
      'signer.display_name as signed_by_name',
      'v.signed_auth_method',
    ])
    .where('v.note_id', '=', note.id)
    .orderBy('v.version')
    .execute();
  deps.audit.record({ patientId: note.patient_id, objectType: 'journal_note', objectId: note.id, basis: decision.basis, details: { versions: versions.length } });
  return {
    noteId: note.id,
    noteType: note.note_type,
    consultationDate: note.consultation_date,
    status: note.status,
    versions: versions.map((version) => ({
      version: version.version,
      body: version.body,
      amendmentReason: version.amendment_reason,
      createdAt: version.created_at.toISOString(),
      createdByName: version.created_by_name,
      signedAt: version.signed_at?.toISOString() ?? null,
      signedByName: version.signed_by_name,
      signedAuthMethod: version.signed_auth_method,
    })),
  };
}

export async function createDraft(
  deps: Deps,
  user: SessionUser,
  input: { patientId: string; noteType: string; consultationDate: string; body: string },
): Promise<{ noteId: string }> {
  const decision = await requireJournalAccess(deps, user, input.patientId);
  // Writing in the journal needs a treatment relationship or break-glass; a read-share is for reading.
  if (decision.basis === 'read_share') {
    throw new AuditedDenial({ reason: 'read_share_is_read_only', patientId: input.patientId, objectType: 'patient', objectId: input.patientId }, 'forbidden', 'access.read_only');
  }
  const note = await deps.trx
    .insertInto('journal_note')
    .values({ organisation_id: user.organisationId, patient_id: input.patientId, author_id: user.userId, note_type: input.noteType, consultation_date: input.consultationDate, created_at: deps.now, updated_at: deps.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await deps.trx
    .insertInto('journal_note_version')
    .values({ organisation_id: user.organisationId, note_id: note.id, version: 1, body: input.body, amendment_reason: null, created_by: user.userId, created_at: deps.now, updated_at: deps.now, signed_by: null, signed_at: null, signed_auth_method: null, content_hash: null })
    .execute();
  deps.audit.record({ patientId: input.patientId, objectType: 'journal_note', objectId: note.id, basis: decision.basis });
  return { noteId: note.id };
}

/** Autosave (JRN-2): only the author, only while a draft. */
export async function updateDraft(
  deps: Deps,
  user: SessionUser,
  input: { noteId: string; body: string; noteType?: string; consultationDate?: string },
): Promise<{ updatedAt: string }> {
  const { note, decision } = await loadNote(deps, user, input.noteId, { forUpdate: true });
  if (note.author_id !== user.userId) {
    throw new AuditedDenial({ reason: 'not_author', patientId: note.patient_id, objectType: 'journal_note', objectId: note.id }, 'forbidden');
  }
  if (note.status !== 'draft') throw fieldError('noteId', 'validation.note_not_draft');
  await deps.trx
    .updateTable('journal_note_version')
    .set({ body: input.body, updated_at: deps.now })
    .where('note_id', '=', note.id)
    .where('version', '=', note.current_version)
    .execute();
  await deps.trx
    .updateTable('journal_note')
    .set({ updated_at: deps.now, ...(input.noteType ? { note_type: input.noteType } : {}), ...(input.consultationDate ? { consultation_date: input.consultationDate } : {}) })
    .where('id', '=', note.id)
    .execute();
  deps.audit.record({ patientId: note.patient_id, objectType: 'journal_note', objectId: note.id, basis: decision.basis });
  return { updatedAt: deps.now.toISOString() };
}

/** JRN-3: signing freezes the draft: signer, time, auth method and a content hash. Step-up required. */
export async function signNote(deps: Deps, user: SessionUser, noteId: string): Promise<{ signedAt: string }> {
  const { note, decision } = await loadNote(deps, user, noteId, { forUpdate: true });
  if (note.author_id !== user.userId) {
    throw new AuditedDenial({ reason: 'not_author', patientId: note.patient_id, objectType: 'journal_note', objectId: note.id }, 'forbidden');
  }
  if (note.status !== 'draft') throw fieldError('noteId', 'validation.note_not_draft');
  const version = await deps.trx
    .selectFrom('journal_note_version')
    .select(['id', 'body', 'amendment_reason'])
    .where('note_id', '=', note.id)
    .where('version', '=', note.current_version)
    .executeTakeFirstOrThrow();
  if (version.body.trim() === '') throw fieldError('body', 'validation.required');
  const contentHash = signedContentHash({
    noteId: note.id,
    patientId: note.patient_id,
    version: note.current_version,
    noteType: note.note_type,
    consultationDate: note.consultation_date,
    body: version.body,
    amendmentReason: version.amendment_reason,
    signedBy: user.userId,
    signedAt: deps.now,
    signedAuthMethod: user.authMethod,
  });
  await deps.trx
    .updateTable('journal_note_version')
    .set({ signed_by: user.userId, signed_at: deps.now, signed_auth_method: user.authMethod, content_hash: contentHash })
    .where('note_id', '=', note.id)
    .where('version', '=', note.current_version)
    .execute();
  await deps.trx.updateTable('journal_note').set({ status: 'signed', updated_at: deps.now }).where('id', '=', note.id).execute();
  // AUD-4: the sealed event anchors the signed version (see signatureAnchor).
  deps.audit.record({ patientId: note.patient_id, objectType: 'journal_note', objectId: note.id, basis: decision.basis, details: { version: note.current_version, anchor: signatureAnchor(version.id, contentHash) } });
  return { signedAt: deps.now.toISOString() };
}

/**
 * JRN-4: amending a signed note adds a signed version with its reason; the original stays. Two
 * clinicians amending at once both get their version (the note row lock orders them).
 */
export async function amendNote(deps: Deps, user: SessionUser, input: { noteId: string; body: string; reason: string; correctionRequestId?: string | undefined }): Promise<{ version: number }> {
  const { note, decision } = await loadNote(deps, user, input.noteId, { forUpdate: true });
  if (decision.basis === 'read_share') {
    throw new AuditedDenial({ reason: 'read_share_is_read_only', patientId: note.patient_id, objectType: 'journal_note', objectId: note.id }, 'forbidden', 'access.read_only');
  }
  if (note.status === 'draft') throw fieldError('noteId', 'validation.note_is_draft');
  const request = input.correctionRequestId === undefined ? undefined : await openCorrectionRequestFor(deps, user, input.correctionRequestId, note.patient_id);
  const current = await deps.trx
    .selectFrom('journal_note_version')
    .select('body')
    .where('note_id', '=', note.id)
    .where('version', '=', note.current_version)
    .executeTakeFirstOrThrow();
  // A version that changes nothing would only add noise to the history (and a second signature on the same words).
  if (current.body === input.body) throw fieldError('body', 'validation.amendment_unchanged');
  const version = note.current_version + 1;
  const contentHash = signedContentHash({
    noteId: note.id,
    patientId: note.patient_id,
    version,
    noteType: note.note_type,
    consultationDate: note.consultation_date,
    body: input.body,
    amendmentReason: input.reason,
    signedBy: user.userId,
    signedAt: deps.now,
    signedAuthMethod: user.authMethod,
  });
  const inserted = await deps.trx
    .insertInto('journal_note_version')
    .values({
      organisation_id: user.organisationId,
      note_id: note.id,
      version,
      body: input.body,
      amendment_reason: input.reason,
      created_by: user.userId,
      created_at: deps.now,
      updated_at: deps.now,
      signed_by: user.userId,
      signed_at: deps.now,
      signed_auth_method: user.authMethod,
      content_hash: contentHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await deps.trx.updateTable('journal_note').set({ status: 'amended', current_version: version, updated_at: deps.now }).where('id', '=', note.id).execute();
  const answered = request ? await answerCorrectionRequest(deps, user, request, { status: 'amended', noteId: note.id }) : undefined;
  deps.audit.record({
    patientId: note.patient_id,
    objectType: 'journal_note',
    objectId: note.id,
    basis: decision.basis,
    details: { version, anchor: signatureAnchor(inserted.id, contentHash), ...(request && answered ? { correctionRequestId: request.id, caseId: answered.caseId } : {}) },
  });
  return { version };
}

/**
 * JRN-5: a note or the whole journal to PDF. The print is logged with the client's IP address in
 * the same transaction that produces the document (AUD-2, DESK-3): no PDF without its event.
 */
export async function printJournal(
  deps: Deps & { renderPdf: (request: PrintRequest) => Promise<Buffer> },
  user: SessionUser,
  input: { patientId: string; noteId?: string },
): Promise<{ fileName: string; pdfBase64: string; pageNoteCount: number }> {
  const decision = await requireJournalAccess(deps, user, input.patientId);
  if (input.noteId) await loadNote(deps, user, input.noteId);
  const filter = noteFilter(decision);
  const [patient, organisation, notes] = await Promise.all([
    deps.trx.selectFrom('patient').select(['given_name', 'family_name', 'national_id', 'date_of_birth']).where('id', '=', input.patientId).where('organisation_id', '=', user.organisationId).executeTakeFirstOrThrow(),
    deps.trx.selectFrom('organisation').select('name').where('id', '=', user.organisationId).executeTakeFirstOrThrow(),
    deps.trx
      .selectFrom('journal_note as n')
      .innerJoin('journal_note_version as v', (join) => join.onRef('v.note_id', '=', 'n.id').onRef('v.version', '=', 'n.current_version'))
      .innerJoin('app_user as author', 'author.id', 'n.author_id')
      .leftJoin('app_user as signer', 'signer.id', 'v.signed_by')
      .select(['n.id', 'n.note_type', 'n.consultation_date', 'n.status', 'author.display_name as author_name', 'v.body', 'v.version', 'v.signed_at', 'v.amendment_reason', 'signer.display_name as signer_name'])
      .where('n.patient_id', '=', input.patientId)
      .where('n.organisation_id', '=', user.organisationId)
      // Only the journal proper: signed and amended notes, never drafts.
      .where('n.status', '!=', 'draft')
      .$if(input.noteId !== undefined, (query) => query.where('n.id', '=', input.noteId as string))
      .$if(filter.blocked.length > 0, (query) => query.where('n.id', 'not in', filter.blocked))
      .$if(filter.only !== null, (query) => query.where('n.id', 'in', filter.only && filter.only.length > 0 ? filter.only : ['00000000-0000-0000-0000-000000000000']))
      .orderBy('n.consultation_date', 'desc')
      .orderBy('n.created_at', 'desc')
      .execute(),
  ]);
  const pdf = await deps.renderPdf({
    organisationName: organisation.name,
    patient: { givenName: patient.given_name, familyName: patient.family_name, nationalId: patient.national_id, dateOfBirth: patient.date_of_birth },
    notes: notes.map((note) => ({
      noteType: note.note_type,
      consultationDate: note.consultation_date,
      status: note.status,
      authorName: note.author_name,
      body: note.body,
      version: note.version,
      signedByName: note.signer_name,
      signedAt: note.signed_at,
      amendmentReason: note.amendment_reason,
    })),
    printedBy: { displayName: user.displayName, profession: user.profession },
    printedAt: deps.now,
    hasBlockedNotes: decision.blockedNoteIds.length > 0,
  });
  deps.audit.record({
    patientId: input.patientId,
    objectType: input.noteId ? 'journal_note' : 'journal',
    objectId: input.noteId ?? input.patientId,
    basis: decision.basis,
    details: { noteIds: notes.map((note) => note.id), format: 'pdf' },
  });
  const stamp = deps.now.toISOString().slice(0, 10);
  return { fileName: `journal-${stamp}.pdf`, pdfBase64: pdf.toString('base64'), pageNoteCount: notes.length };
}

/**
 * JRN-4: a refused request to correct the journal is itself recorded in the journal, with what was
 * asked and why it was refused — as a signed note, so it cannot be quietly changed later.
 */
export async function recordCorrectionRefusal(
  deps: Deps,
  user: SessionUser,
  input: { patientId: string; requestedAt: string; requestedChange: string; reasons: string; correctionRequestId?: string | undefined },
): Promise<{ noteId: string }> {
  const decision = await requireTreatingClinician(deps, user, input.patientId);
  const request = input.correctionRequestId === undefined ? undefined : await openCorrectionRequestFor(deps, user, input.correctionRequestId, input.patientId);
  const body = `Anmodning om retting mottatt ${input.requestedAt.split('-').reverse().join('.')}.\n\nDet ble bedt om:\n${input.requestedChange}\n\nAnmodningen er avslått. Begrunnelse:\n${input.reasons}`;
  const note = await deps.trx
    .insertInto('journal_note')
    .values({ organisation_id: user.organisationId, patient_id: input.patientId, author_id: user.userId, note_type: 'correction_refused', consultation_date: deps.now.toISOString().slice(0, 10), status: 'signed', created_at: deps.now, updated_at: deps.now })
    .returning(['id', 'consultation_date'])
    .executeTakeFirstOrThrow();
  const contentHash = signedContentHash({
    noteId: note.id,
    patientId: input.patientId,
    version: 1,
    noteType: 'correction_refused',
    consultationDate: note.consultation_date,
    body,
    amendmentReason: null,
    signedBy: user.userId,
    signedAt: deps.now,
    signedAuthMethod: user.authMethod,
  });
  const version = await deps.trx
    .insertInto('journal_note_version')
    .values({ organisation_id: user.organisationId, note_id: note.id, version: 1, body, amendment_reason: null, created_by: user.userId, created_at: deps.now, updated_at: deps.now, signed_by: user.userId, signed_at: deps.now, signed_auth_method: user.authMethod, content_hash: contentHash })
    .returning('id')
    .executeTakeFirstOrThrow();
  const answered = request ? await answerCorrectionRequest(deps, user, request, { status: 'refused', noteId: note.id }) : undefined;
  deps.audit.record({
    patientId: input.patientId,
    objectType: 'journal_note',
    objectId: note.id,
    basis: decision.basis,
    details: { version: 1, anchor: signatureAnchor(version.id, contentHash), ...(request && answered ? { correctionRequestId: request.id, caseId: answered.caseId } : {}) },
  });
  return { noteId: note.id };
}
