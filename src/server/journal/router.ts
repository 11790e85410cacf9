import { z } from 'zod';
import { noteDeletionSchema } from '../../shared/journal-deletion';
import { consultationDateSchema, JOURNAL_NOTE_TYPES, NOTE_TYPES } from '../../shared/patient-schemas';
import { calendarDate, instant, text } from '../../shared/schema-primitives';
import { roleProcedure, router } from '../trpc';
import { deleteNoteByDecision, listDeletions } from './deletion';
import { renderJournalPdf } from './print';
import { listNoteTemplates, updateNoteTemplate } from './templates';
import { amendNote, createDraft, getNoteHistory, listNotes, openRecord, printJournal, recordCorrectionRefusal, signNote, updateDraft } from './service';

/** The journal is for clinicians (ACC-1); every procedure also passes the access decision (ACC-2). */
const clinicianProcedure = roleProcedure(['clinician']);
const uuid = z.uuid('validation.id');
// Kept exactly as written (no trimming): the signed text is what its hash covers (JRN-3).
const noteBody = text({ max: 100_000, multiline: true, trim: false });

/** The page cursor the server handed out: the same ranges as the values it was made from. */
/** Notes per page: the app asks for 25. */
const pageLimit = z.number().int().min(1).max(100).default(25);

const cursor = z.object({ consultationDate: consultationDateSchema, createdAt: instant(), id: uuid }).strict();

/** Narrowing the journal: by type, author, consultation period and words in the current text. */
const noteListFilter = z
  .object({
    noteTypes: z.array(z.enum(JOURNAL_NOTE_TYPES)).max(JOURNAL_NOTE_TYPES.length).optional(),
    authorId: uuid.optional(),
    from: consultationDateSchema.optional(),
    to: consultationDateSchema.optional(),
    text: text({ max: 200 }).optional(),
  })
  .strict()
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, { message: 'validation.period_order', path: ['to'] });

export const journalRouter = router({
  /** The header, the basis and the first page of notes: one request, one statement with its events (ADR 0017). */
  open: clinicianProcedure
    .meta({ audit: ['journal.record.opened'] })
    .input(z.object({ patientId: uuid, limit: pageLimit }).strict())
    .query(({ ctx, input }) => openRecord(ctx.deps, ctx.session, input)),

  notes: clinicianProcedure
    .meta({ audit: ['journal.notes.read'] })
    .input(z.object({ patientId: uuid, limit: pageLimit, after: cursor.optional(), filter: noteListFilter.optional() }).strict())
    .query(({ ctx, input }) => listNotes(ctx.deps, ctx.session, input)),

  history: clinicianProcedure
    .meta({ audit: ['journal.note.history_read'] })
    .input(z.object({ noteId: uuid }).strict())
    .query(({ ctx, input }) => getNoteHistory(ctx.deps, ctx.session, input.noteId)),

  createDraft: clinicianProcedure
    .meta({ audit: ['journal.note.draft_created'] })
    .input(z.object({ patientId: uuid, noteType: z.enum(NOTE_TYPES), consultationDate: consultationDateSchema, body: noteBody }).strict())
    .mutation(({ ctx, input }) => createDraft(ctx.deps, ctx.session, input)),

  saveDraft: clinicianProcedure
    .meta({ audit: ['journal.note.draft_saved'] })
    .input(z.object({ noteId: uuid, body: noteBody, noteType: z.enum(NOTE_TYPES).optional(), consultationDate: consultationDateSchema.optional() }).strict())
    .mutation(({ ctx, input }) => updateDraft(ctx.deps, ctx.session, input)),

  /** JRN-3; AUTH-5: a second factor within the last 5 minutes. */
  sign: clinicianProcedure
    .meta({ audit: ['journal.note.signed'], stepUp: true })
    .input(z.object({ noteId: uuid }).strict())
    .mutation(({ ctx, input }) => signNote(ctx.deps, ctx.session, input.noteId)),

  /** JRN-4: a new signed version with a reason; the original stays. */
  amend: clinicianProcedure
    .meta({ audit: ['journal.note.amended'], stepUp: true })
    .input(
      z
        .object({
          noteId: uuid,
          body: noteBody.min(1, 'validation.required'),
          reason: text({ min: 3, max: 2000, multiline: true }),
          /** The DPO's correction request this amendment answers (a rectification request, DPO-4). */
          correctionRequestId: uuid.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => amendNote(ctx.deps, ctx.session, input)),

  /** JRN-5: to PDF, logged with the client IP (AUD-2); a sensitive action, so step-up (AUTH-5). */
  print: clinicianProcedure
    .meta({ audit: ['journal.printed'], stepUp: true })
    .input(z.object({ patientId: uuid, noteId: uuid.optional() }).strict())
    .mutation(({ ctx, input }) => printJournal({ ...ctx.deps, renderPdf: renderJournalPdf }, ctx.session, input)),

  /** JRN-4: a refused correction request, recorded in the journal with its reasons (signed, so step-up). */
  recordCorrectionRefusal: clinicianProcedure
    .meta({ audit: ['journal.note.correction_refused'], stepUp: true })
    .input(
      z
        .object({
          patientId: uuid,
          requestedAt: calendarDate({ latest: 'today' }),
          requestedChange: text({ min: 3, max: 5000, multiline: true }),
          reasons: text({ min: 3, max: 5000, multiline: true }),
          /** The DPO's correction request this refusal answers (a rectification request, DPO-4). */
          correctionRequestId: uuid.optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => recordCorrectionRefusal(ctx.deps, ctx.session, input)),

  /**
   * JRN-4 (helsepersonelloven §§ 43–44): a signed note deleted under a documented decision, by a
   * clinician who treats the patient. Irreversible, so step-up (AUTH-5).
   */
  deleteNote: clinicianProcedure
    .meta({ audit: ['journal.note.deleted'], stepUp: true })
    .input(noteDeletionSchema)
    .mutation(({ ctx, input }) => deleteNoteByDecision(ctx.deps, ctx.session, input)),

  /** JRN-7: every note type's template (the clinic's, else the default); no patient data, so no event. */
  templates: roleProcedure(['clinician', 'admin']).query(({ ctx }) => listNoteTemplates(ctx.deps, ctx.session)),

  /** JRN-7: the clinic edits its templates through its administrator. */
  updateTemplate: roleProcedure(['admin'])
    .meta({ audit: ['journal.template.updated'] })
    .input(z.object({ noteType: z.enum(NOTE_TYPES), body: text({ max: 10_000, multiline: true, trim: false }) }).strict())
    .mutation(({ ctx, input }) => updateNoteTemplate(ctx.deps, ctx.session, input)),

  /** JRN-4: the patient's deletion decisions — that a note was deleted, when, by whom and why; never what it said. */
  deletions: clinicianProcedure
    .meta({ audit: ['journal.deletions.read'] })
    .input(z.object({ patientId: uuid }).strict())
    .query(({ ctx, input }) => listDeletions(ctx.deps, ctx.session, input.patientId)),
});
