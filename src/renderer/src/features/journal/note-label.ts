import { formatCalendarDate } from '../../lib/format';
import { translateCode } from '../../lib/translate';
import type { NoteSummary } from './types';

/** "19.11.2026 · Konsultasjon · Lars Lege": how a note is named in dialogs and pickers. */
export function noteLabel(note: Pick<NoteSummary, 'consultationDate' | 'noteType' | 'authorName'>): string {
  return `${formatCalendarDate(note.consultationDate)} · ${translateCode(`journal.noteTypes.${note.noteType}`, {}, note.noteType)} · ${note.authorName}`;
}
