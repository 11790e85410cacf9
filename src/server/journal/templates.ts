import type { SessionUser } from '../auth/session';
import type { ServiceDeps } from '../context';
import { NOTE_TYPES } from '../../shared/patient-schemas';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type NoteType = (typeof NOTE_TYPES)[number];

/**
 * JRN-7: the headings a new draft starts from until the clinic writes its own. Norwegian, because
 * they become journal text (and the journal is kept in Norwegian).
 */
export const DEFAULT_NOTE_TEMPLATES: Readonly<Record<NoteType, string>> = {
  consultation: 'Anamnese:\n\n\nFunn:\n\n\nVurdering:\n\n\nTiltak:\n',
  phone: 'Henvendelse:\n\n\nVurdering:\n\n\nRåd og tiltak:\n',
  home_visit: 'Anamnese:\n\n\nFunn:\n\n\nVurdering:\n\n\nTiltak:\n\n\nOppfølging:\n',
  letter: 'Til:\n\nAngående:\n\n\n',
  other: '',
};

export interface NoteTemplate {
  noteType: NoteType;
  body: string;
  /** False while the type starts from the default above (the clinic has not written its own). */
  isCustom: boolean;
  updatedAt: string | null;
  updatedByName: string | null;
}

/** Every note type's template for the user's organisation: the clinic's own, else the default. */
export async function listNoteTemplates(deps: Pick<Deps, 'trx'>, user: SessionUser): Promise<NoteTemplate[]> {
  const rows = await deps.trx
    .selectFrom('note_template as t')
    .innerJoin('app_user as editor', 'editor.id', 't.updated_by')
    .select(['t.note_type', 't.body', 't.updated_at', 'editor.display_name as updated_by_name'])
    .where('t.organisation_id', '=', user.organisationId)
    .execute();
  const byType = new Map(rows.map((row) => [row.note_type, row]));
  return NOTE_TYPES.map((noteType) => {
    const row = byType.get(noteType);
    return row
      ? { noteType, body: row.body, isCustom: true, updatedAt: row.updated_at.toISOString(), updatedByName: row.updated_by_name }
      : { noteType, body: DEFAULT_NOTE_TEMPLATES[noteType], isCustom: false, updatedAt: null, updatedByName: null };
  });
}

/** JRN-7: the clinic (its administrator) sets a type's template; logged without the text. */
export async function updateNoteTemplate(deps: Deps, user: SessionUser, input: { noteType: NoteType; body: string }): Promise<{ updatedAt: string }> {
  await deps.trx
    .insertInto('note_template')
    .values({ organisation_id: user.organisationId, note_type: input.noteType, body: input.body, updated_by: user.userId, updated_at: deps.now })
    .onConflict((conflict) => conflict.columns(['organisation_id', 'note_type']).doUpdateSet({ body: input.body, updated_by: user.userId, updated_at: deps.now }))
    .execute();
  deps.audit.record({ objectType: 'note_template', objectId: user.organisationId, details: { noteType: input.noteType } });
  return { updatedAt: deps.now.toISOString() };
}
