import { ActionIcon, Alert, Badge, Button, Group, Loader, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { errorText, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { DeleteNoteMenuItem, useOnNoteDeleted } from './DeletionModal';
import { DraftEditor } from './DraftEditor';
import { AmendModal, CorrectionRefusalModal, HistoryModal } from './NoteModals';
import { previewOf } from './preview';
import type { AccessBasis, NoteCursor, NoteSummary } from './types';

const PAGE_SIZE = 25;
const STATUS_COLOURS: Record<NoteSummary['status'], string> = { draft: 'yellow', signed: 'teal', amended: 'violet' };

/**
 * The journal's notes, newest first (JRN-2…4), a page at a time by keyset ("Vis flere"). A note
 * shows a short preview until opened, so a journal of thousands of notes stays light: only the
 * notes fetched are rendered, and of those only the opened ones in full.
 */
export function NotesPanel({ patientId, basis, onPrintNote, printingNoteId }: { patientId: string; basis: AccessBasis; onPrintNote: (noteId: string) => void; printingNoteId: string | null }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canWrite = basis !== 'read_share';
  // The cursor of each page after the first; pages stay as fetched while shown (no note twice or skipped).
  const [afters, setAfters] = useState<NoteCursor[]>([]);
  // The draft being written (its id once the first save created it) is in the editor, not the list.
  const [editing, setEditing] = useState<{ draft: NoteSummary | null; draftId: string | null; key: number } | null>(null);
  const [amending, setAmending] = useState<NoteSummary | null>(null);
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [isRefusalOpen, setIsRefusalOpen] = useState(false);
  // A refused correction is recorded by a clinician who treats the patient (JRN-4).
  const canRecordRefusal = basis === 'treatment_relationship';
  const pages = useQueries({
    queries: [undefined, ...afters].map((after) =>
      trpc.journal.notes.queryOptions(
        { patientId, limit: PAGE_SIZE, ...(after ? { after } : {}) },
        { staleTime: Infinity, gcTime: 0, retry: false, refetchOnMount: after === undefined ? 'always' : false },
      ),
    ),
  });
  const first = pages[0];
  const last = pages.at(-1);
  const notes = pages.flatMap((page) => page.data?.notes ?? []).filter((note) => note.id !== editing?.draftId);
  const next = last?.data?.next ?? null;
  const failed = pages.find((page) => page.isError);

  /**
   * After a change the list starts over from the newest note. The later pages go first, so only
   * the pages still shown are fetched again (and logged as read).
   */
  const refresh = useCallback(() => {
    setAfters([]);
    setTimeout(() => {
      void queryClient.invalidateQueries(trpc.journal.notes.pathFilter());
      void queryClient.invalidateQueries(trpc.journal.history.pathFilter());
    }, 0);
  }, [queryClient, trpc]);
  // JRN-4: after a deletion by decision, the list starts over too.
  useOnNoteDeleted(refresh);

  const onEdit = useCallback((note: NoteSummary) => setEditing({ draft: note, draftId: note.id, key: Date.now() }), []);
  const onCreated = useCallback(
    (noteId: string) => {
      setEditing((current) => (current ? { ...current, draftId: noteId } : current));
      refresh();
    },
    [refresh],
  );
  const onHistory = useCallback((note: NoteSummary) => setHistoryOf(note.id), []);

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('journal.notes.title')}
        </Title>
        <Group gap="xs">
          {canRecordRefusal && (
            <Button variant="default" onClick={() => setIsRefusalOpen(true)}>
              {t('journal.refusal.open')}
            </Button>
          )}
          {canWrite && !editing && (
            <Button onClick={() => setEditing({ draft: null, draftId: null, key: Date.now() })} data-testid="new-note">
              {t('journal.notes.new')}
            </Button>
          )}
        </Group>
      </Group>
      {editing && (
        <DraftEditor
          key={editing.key}
          patientId={patientId}
          draft={editing.draft}
          onCreated={onCreated}
          onClose={() => {
            setEditing(null);
            refresh();
          }}
        />
      )}
      {first?.isPending && <Loader size="sm" />}
      {failed?.error && (
        <Alert color="red" role="alert">
          {errorText(failed.error)}
        </Alert>
      )}
      {first?.data && notes.length === 0 && !editing && <Text c="dimmed">{t('journal.notes.empty')}</Text>}
      <Stack gap="xs" data-testid="notes-list" aria-label={t('journal.notes.title')} role="list">
        {notes.map((note) => (
          <NoteCard key={note.id} note={note} canWrite={canWrite} onEdit={onEdit} onAmend={setAmending} onHistory={onHistory} onPrint={onPrintNote} isPrinting={printingNoteId === note.id} />
        ))}
      </Stack>
      {notes.length > 0 && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('journal.notes.shown', { count: notes.length })}
          </Text>
          {next && (
            <Button variant="default" onClick={() => setAfters((current) => [...current, next])} loading={afters.length > 0 && last?.isPending === true}>
              {t('journal.notes.more')}
            </Button>
          )}
        </Group>
      )}
      <AmendModal note={amending} onClose={() => setAmending(null)} onDone={refresh} />
      <HistoryModal noteId={historyOf} onClose={() => setHistoryOf(null)} />
      {canRecordRefusal && <CorrectionRefusalModal opened={isRefusalOpen} patientId={patientId} onClose={() => setIsRefusalOpen(false)} onDone={refresh} />}
    </Stack>
  );
}

interface NoteCardProps {
  note: NoteSummary;
  canWrite: boolean;
  isPrinting: boolean;
  onEdit: (note: NoteSummary) => void;
  onAmend: (note: NoteSummary) => void;
  onHistory: (note: NoteSummary) => void;
  onPrint: (noteId: string) => void;
}

/** One note: type, date, author, status and a preview; the full text once opened. */
const NoteCard = memo(function NoteCard({ note, canWrite, isPrinting, onEdit, onAmend, onHistory, onPrint }: NoteCardProps) {
  const { t } = useTranslation();
  const [isOpen, setIsOpen] = useState(false);
  const body = note.body ?? '';
  const preview = previewOf(body);
  const isDraft = note.status === 'draft';
  const typeLabel = translateCode(`journal.noteTypes.${note.noteType}`, {}, note.noteType);
  return (
    <Paper withBorder p="sm" radius="md" role="listitem" className="note-card" data-testid="note-card" data-note-id={note.id} data-status={note.status}>
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Group gap="xs" wrap="wrap">
            <Text fw={600} size="sm">
              {formatCalendarDate(note.consultationDate)}
            </Text>
            <Text size="sm">{typeLabel}</Text>
            <Text size="sm" c="dimmed">
              {note.authorName}
            </Text>
            <Badge color={STATUS_COLOURS[note.status]} variant="light" data-testid="note-status">
              {t(`journal.noteStatus.${note.status}`)}
            </Badge>
          </Group>
          <Group gap={4} wrap="nowrap">
            {isDraft && canWrite && (
              <Button size="xs" variant="light" onClick={() => onEdit(note)}>
                {t('journal.notes.continueDraft')}
              </Button>
            )}
            {!isDraft && (
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="subtle" color="gray" aria-label={t('journal.notes.actions', { date: formatCalendarDate(note.consultationDate), type: typeLabel })} loading={isPrinting}>
                    <span aria-hidden="true">⋯</span>
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => onHistory(note)}>{t('journal.history.open')}</Menu.Item>
                  {canWrite && <Menu.Item onClick={() => onAmend(note)}>{t('journal.amend.open')}</Menu.Item>}
                  <Menu.Item onClick={() => onPrint(note.id)}>{t('journal.print.note')}</Menu.Item>
                  <DeleteNoteMenuItem note={note} />
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Group>
        {isOpen ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="note-body">
            {body}
          </Text>
        ) : (
          <Text size="sm" c={body ? undefined : 'dimmed'} data-testid="note-preview">
            {body ? preview.text : t('journal.notes.emptyDraft')}
          </Text>
        )}
        <Group justify="space-between" gap="xs">
          <Text size="xs" c="dimmed">
            {note.signedAt && note.signedByName
              ? note.status === 'amended'
                ? t('journal.notes.amendedBy', { name: note.signedByName, time: formatDateTime(note.signedAt), version: note.currentVersion })
                : t('journal.notes.signedBy', { name: note.signedByName, time: formatDateTime(note.signedAt) })
              : t('journal.notes.savedAt', { time: formatDateTime(note.updatedAt) })}
          </Text>
          <Group gap="xs">
            {note.status === 'amended' && (
              <Button size="compact-xs" variant="subtle" onClick={() => onHistory(note)}>
                {t('journal.history.open')}
              </Button>
            )}
            {preview.isTruncated && (
              <Button size="compact-xs" variant="subtle" onClick={() => setIsOpen((open) => !open)} aria-expanded={isOpen}>
                {isOpen ? t('journal.notes.collapse') : t('journal.notes.expand')}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
});
