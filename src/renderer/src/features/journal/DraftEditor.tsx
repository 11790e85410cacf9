import { Alert, Button, Group, NativeSelect, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NOTE_TYPES } from '../../../../shared/patient-schemas';
import { formatDateTime } from '../../lib/format';
import { isFinalError } from '../../lib/api-error';
import { errorText, fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useStepUpMutation } from '../auth/step-up';
import { AutosaveController, type AutosaveState } from './autosave';
import { osloToday, parseDateInput, toDateInput } from './dates';
import type { NoteSummary } from './types';

type NoteType = (typeof NOTE_TYPES)[number];
interface DraftValue {
  noteType: NoteType;
  consultationDate: string;
  body: string;
}

/** How long after the last keystroke a draft is saved (JRN-2). */
export const AUTOSAVE_DELAY_MS = 1500;
/** How long to wait before saving again when the server could not be reached. */
const AUTOSAVE_RETRY_MS = 5000;

/**
 * JRN-2 draft editor: type, consultation date and text, saved by itself a moment after each change
 * (the first save creates the draft). Signing (JRN-3) saves what is left first, then asks the
 * server to sign — with a fresh second factor if the last one is too old (AUTH-5). A new draft
 * starts from the clinic's template for its type (JRN-7); Ctrl+Enter saves at once.
 */
export function DraftEditor({ patientId, draft, onCreated, onClose }: { patientId: string; draft: NoteSummary | null; onCreated: (noteId: string) => void; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [noteType, setNoteType] = useState<NoteType>(() => ((NOTE_TYPES as readonly string[]).includes(draft?.noteType ?? '') ? (draft?.noteType as NoteType) : 'consultation'));
  const [dateText, setDateText] = useState(() => toDateInput(draft?.consultationDate ?? osloToday()));
  const [body, setBody] = useState(draft?.body ?? '');
  const [saveState, setSaveState] = useState<AutosaveState>(draft ? { status: 'saved', at: new Date(draft.updatedAt) } : { status: 'idle' });
  const [isSigning, setIsSigning] = useState(false);
  const createDraft = useMutation(trpc.journal.createDraft.mutationOptions());
  const saveDraft = useMutation(trpc.journal.saveDraft.mutationOptions());
  const sign = useStepUpMutation(trpc.journal.sign.mutationOptions());
  const consultationDate = parseDateInput(dateText);
  // JRN-7: a new draft starts from its type's template, and follows the type while untouched.
  const templates = useQuery(trpc.journal.templates.queryOptions(undefined, { enabled: draft === null, staleTime: 60_000 }));
  const templateOf = (type: NoteType) => templates.data?.find((template) => template.noteType === type)?.body ?? '';
  const [isTemplateApplied, setIsTemplateApplied] = useState(false);
  if (draft === null && !isTemplateApplied && templates.data) {
    setIsTemplateApplied(true);
    if (body === '') setBody(templateOf(noteType));
  }

  // The controller lives as long as the editor; its save reads the note id as it is by then
  // (none until the first save has created the draft).
  const [{ autosave, note }] = useState(() => {
    const current: { id: string | null } = { id: draft?.id ?? null };
    const controller = new AutosaveController<DraftValue>({
      delayMs: AUTOSAVE_DELAY_MS,
      // The server unreachable for a moment: try again by itself (DESK-4, nothing typed is lost).
      shouldRetry: (error) => !isFinalError(error),
      retryDelayMs: AUTOSAVE_RETRY_MS,
      onState: setSaveState,
      save: async (value) => {
        if (current.id) {
          await saveDraft.mutateAsync({ noteId: current.id, ...value });
        } else {
          const created = await createDraft.mutateAsync({ patientId, ...value });
          current.id = created.noteId;
          onCreated(created.noteId);
        }
      },
    });
    return { autosave: controller, note: current };
  });
  // Leaving the editor saves what is left (the page, the patient or the app closing it alike).
  useEffect(() => () => void autosave.flush().catch(() => {}), [autosave]);

  const change = (next: Partial<DraftValue & { dateText: string }>) => {
    const value = { noteType, consultationDate: consultationDate ?? '', body, ...next };
    if (next.dateText !== undefined) value.consultationDate = parseDateInput(next.dateText) ?? '';
    // An unreadable date is shown beside its field; nothing is saved until it reads.
    if (value.consultationDate) autosave.schedule({ noteType: value.noteType, consultationDate: value.consultationDate, body: value.body });
  };

  const close = async () => {
    try {
      await autosave.flush();
      onClose();
    } catch {
      // The error is shown; the editor stays open with the text.
    }
  };

  /** Saves now: what is pending, or a new draft's template text that nothing has saved yet. */
  const saveNow = async () => {
    if (!note.id && consultationDate && body.trim() !== '' && !autosave.hasUnsavedChanges) autosave.schedule({ noteType, consultationDate, body });
    await autosave.flush();
  };

  const saveOnCtrlEnter = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    // A failed save shows its error beside the status; the text stays.
    void saveNow().catch(() => {});
  };

  const signNote = async () => {
    setIsSigning(true);
    try {
      await saveNow();
      if (!note.id) return;
      await sign.mutateAsync({ noteId: note.id });
      notifications.show({ color: 'teal', message: t('journal.editor.signed') });
      autosave.dispose();
      onClose();
    } catch {
      // Shown below (a save failed, the step-up was cancelled, the server refused).
    } finally {
      setIsSigning(false);
    }
  };

  const labels = { noteType: t('journal.editor.type'), consultationDate: t('journal.editor.date'), body: t('journal.editor.text'), noteId: t('journal.editor.title') };
  const saveError = saveState.status === 'error' ? saveState.error : null;
  const errors = fieldErrorMessages(sign.error ?? saveError, labels);
  const generalError = sign.error ?? saveError;

  return (
    <Paper withBorder p="md" radius="md" data-testid="draft-editor" bg="var(--mantine-color-body)" onKeyDown={saveOnCtrlEnter}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{draft ? t('journal.editor.editTitle') : t('journal.editor.title')}</Title>
          <Text size="sm" c={saveState.status === 'error' ? 'red' : 'dimmed'} data-testid="autosave-status" aria-live="polite">
            <SaveStatusText state={saveState} />
          </Text>
        </Group>
        <Group grow align="flex-start">
          <NativeSelect
            label={labels.noteType}
            value={noteType}
            onChange={(event) => {
              const value = (NOTE_TYPES as readonly string[]).includes(event.currentTarget.value) ? (event.currentTarget.value as NoteType) : 'consultation';
              setNoteType(value);
              // An untouched template follows the type; text the clinician wrote is never replaced.
              if (draft === null && (body === '' || body === templateOf(noteType))) {
                setBody(templateOf(value));
                change({ noteType: value, body: templateOf(value) });
              } else {
                change({ noteType: value });
              }
            }}
            data={NOTE_TYPES.map((type) => ({ value: type, label: translateCode(`journal.noteTypes.${type}`, {}, type) }))}
            error={errors.noteType}
          />
          <TextInput
            label={labels.consultationDate}
            placeholder={t('journal.datePlaceholder')}
            value={dateText}
            onChange={(event) => {
              setDateText(event.currentTarget.value);
              change({ dateText: event.currentTarget.value });
            }}
            error={!consultationDate ? translateCode('validation.date', { field: labels.consultationDate }) : errors.consultationDate}
          />
        </Group>
        <Textarea
          label={labels.body}
          autosize
          minRows={6}
          maxRows={24}
          maxLength={100_000}
          value={body}
          onChange={(event) => {
            setBody(event.currentTarget.value);
            change({ body: event.currentTarget.value });
          }}
          error={errors.body}
          data-autofocus
          autoFocus
        />
        {Boolean(generalError) && !errors.body && !errors.consultationDate && !errors.noteType && (
          <Alert color="red" role="alert">
            {errors.noteId ?? errors[''] ?? errorText(generalError)}
          </Alert>
        )}
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {t('journal.editor.hint')} {t('journal.editor.shortcut')}
          </Text>
          <Group gap="xs">
            <Button variant="default" onClick={() => void close()}>
              {t('journal.editor.close')}
            </Button>
            <Button onClick={() => void signNote()} loading={isSigning} disabled={body.trim() === '' || !consultationDate}>
              {t('journal.editor.sign')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
}

/** A component rather than a function taking `t`: passing the typed `t` around is too deep for the compiler once the catalogue grows. */
function SaveStatusText({ state }: { state: AutosaveState }): string {
  const { t } = useTranslation();
  switch (state.status) {
    case 'idle':
      return t('journal.editor.notSaved');
    case 'pending':
      return t('journal.editor.unsaved');
    case 'saving':
      return t('journal.editor.saving');
    case 'saved':
      return t('journal.editor.savedAt', { time: formatDateTime(state.at).slice(-5) });
    case 'error':
      return t('journal.editor.saveFailed');
  }
}
