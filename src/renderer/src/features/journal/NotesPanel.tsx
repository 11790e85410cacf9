import { ActionIcon, Alert, Badge, Button, Group, Loader, Menu, Paper, Stack, Text, Title } from '@mantine/core';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { defaultRangeExtractor, measureElement, type Range, useWindowVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import { memo, type FocusEvent, useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { errorText, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { DeleteNoteMenuItem, useOnNoteDeleted } from './DeletionModal';
import { DraftEditor } from './DraftEditor';
import { AmendModal, CorrectionRefusalModal, HistoryModal } from './NoteModals';
import { NO_NOTE_FILTER, NoteFilters, type NoteFilterValue, toServerFilter } from './NoteFilters';
import { indexesToMount } from './note-list-range';
import { previewOf } from './preview';
import type { AccessBasis, CorrectionRequest, NoteCursor, NotesPage, NoteSummary } from './types';

const PAGE_SIZE = 25;
const STATUS_COLOURS: Record<NoteSummary['status'], string> = { draft: 'yellow', signed: 'teal', amended: 'violet' };
// Cards differ in height (and grow when opened), so each mounted card is measured; until then a
// card counts as a collapsed one at the usual window width (≈150 px), a little more than most.
const ESTIMATED_CARD_HEIGHT = 150;
// Mantine's "xs" spacing (10 px), the gap the cards had as a Stack.
const CARD_GAP = 10;
// Cards mounted beyond each edge of the window: enough that a normal scroll step or Tab never
// reaches an unmounted card, few enough that 5,000 loaded notes still mount a dozen or two.
const OVERSCAN = 4;

/**
 * The journal's notes, newest first (JRN-2…4), a page at a time by keyset ("Vis flere"). A note
 * shows a short preview until opened, and of the notes fetched only those near the window are
 * mounted (NoteList), so a journal of thousands of notes stays light (issue 4).
 */
export function NotesPanel({
  patientId,
  basis,
  correctionRequests,
  firstPage,
  onPrintNote,
  printingNoteId,
}: {
  patientId: string;
  basis: AccessBasis;
  correctionRequests: readonly CorrectionRequest[];
  /** The first page, as journal.open brought it with the header (one request, issue 13). */
  firstPage: NotesPage;
  onPrintNote: (noteId: string) => void;
  printingNoteId: string | null;
}) {
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
  // JRN-4, DPO-4: the DPO's open correction requests; one answered here leaves the list at once.
  const [refusing, setRefusing] = useState<CorrectionRequest | null>(null);
  const [answeredIds, setAnsweredIds] = useState<readonly string[]>([]);
  const openRequests = useMemo(() => (canWrite ? correctionRequests.filter((request) => !answeredIds.includes(request.id)) : []), [canWrite, correctionRequests, answeredIds]);
  const onAnswered = useCallback((requestId: string | null) => {
    if (requestId !== null) setAnsweredIds((current) => [...current, requestId]);
  }, []);
  // JRN-2: narrowed on the server (type, author, period, words); a new filter starts from the first page.
  const [filter, setFilter] = useState<NoteFilterValue>(NO_NOTE_FILTER);
  const serverFilter = useMemo(() => toServerFilter(filter), [filter]);
  // Authors to filter by: those of the notes seen so far (the journal names no one else).
  const [authors, setAuthors] = useState<ReadonlyMap<string, string>>(() => new Map());
  // A refused correction is recorded by a clinician who treats the patient (JRN-4).
  const canRecordRefusal = basis === 'treatment_relationship';
  // The unfiltered first page came with the header (and was logged with it): shown as it is until the
  // list starts over (a change, a filter), after which journal.notes fetches pages afresh.
  const [isOpenedPageCurrent, setIsOpenedPageCurrent] = useState(true);
  const pages = useQueries({
    queries: [undefined, ...afters].map((after) => {
      const isOpenedPage = after === undefined && serverFilter === undefined && isOpenedPageCurrent;
      return trpc.journal.notes.queryOptions(
        { patientId, limit: PAGE_SIZE, ...(after ? { after } : {}), ...(serverFilter ? { filter: serverFilter } : {}) },
        isOpenedPage
          ? { staleTime: Infinity, gcTime: 0, retry: false, initialData: firstPage, refetchOnMount: false }
          : { staleTime: Infinity, gcTime: 0, retry: false, refetchOnMount: after === undefined ? 'always' : false },
      );
    }),
  });
  const first = pages[0];
  const last = pages.at(-1);
  const notes = pages.flatMap((page) => page.data?.notes ?? []).filter((note) => note.id !== editing?.draftId);
  const next = last?.data?.next ?? null;
  const failed = pages.find((page) => page.isError);
  const unseenAuthor = notes.find((note) => !authors.has(note.authorId));
  if (unseenAuthor) setAuthors(new Map([...authors, ...notes.map((note) => [note.authorId, note.authorName] as const)]));
  const authorOptions = useMemo(() => [...authors].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'nb')), [authors]);
  const changeFilter = useCallback((next: NoteFilterValue) => {
    setIsOpenedPageCurrent(false);
    setAfters([]);
    setFilter(next);
  }, []);

  /**
   * After a change the list starts over from the newest note. The later pages go first, so only
   * the pages still shown are fetched again (and logged as read).
   */
  const refresh = useCallback(() => {
    setIsOpenedPageCurrent(false);
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
      {openRequests.length > 0 && <CorrectionRequests requests={openRequests} canRecordRefusal={canRecordRefusal} onRefuse={setRefusing} />}
      <NoteFilters value={filter} authors={authorOptions} onChange={changeFilter} />
      {first?.isPending && <Loader size="sm" />}
      {failed?.error && (
        <Alert color="red" role="alert">
          {errorText(failed.error)}
        </Alert>
      )}
      {first?.data && notes.length === 0 && !editing && <Text c="dimmed">{serverFilter ? t('journal.filters.noMatch') : t('journal.notes.empty')}</Text>}
      <NoteList notes={notes} hasMore={next !== null} canWrite={canWrite} printingNoteId={printingNoteId} onEdit={onEdit} onAmend={setAmending} onHistory={onHistory} onPrint={onPrintNote} />
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
      <AmendModal
        note={amending}
        correctionRequests={openRequests}
        onClose={() => setAmending(null)}
        onDone={(requestId) => {
          onAnswered(requestId);
          refresh();
        }}
      />
      <HistoryModal noteId={historyOf} onClose={() => setHistoryOf(null)} />
      {canRecordRefusal && (
        <CorrectionRefusalModal
          // A new form for each request answered (its text filled in), and for one without a request.
          key={refusing?.id ?? 'none'}
          opened={isRefusalOpen || refusing !== null}
          patientId={patientId}
          request={refusing}
          onClose={() => {
            setIsRefusalOpen(false);
            setRefusing(null);
          }}
          onDone={(requestId) => {
            onAnswered(requestId);
            refresh();
          }}
        />
      )}
    </Stack>
  );
}

/**
 * JRN-4, DPO-4: what the data protection officer asks to have corrected in this journal (a
 * rectification request). The DPO does not write the journal: a clinician answers by amending the
 * note (choosing the request in the amendment) or by recording the refusal in the journal.
 */
function CorrectionRequests({ requests, canRecordRefusal, onRefuse }: { requests: readonly CorrectionRequest[]; canRecordRefusal: boolean; onRefuse: (request: CorrectionRequest) => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="violet" variant="light" title={t('journal.correctionRequests.title', { count: requests.length })} data-testid="correction-requests">
      <Stack gap="sm">
        <Text size="sm">{t('journal.correctionRequests.intro')}</Text>
        {requests.map((request) => (
          <Paper key={request.id} withBorder p="xs" data-testid="correction-request" data-request-id={request.id}>
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                {t('journal.correctionRequests.from', { reference: request.caseReference, by: request.requestedByName ?? '', date: formatDateTime(request.requestedAt) })}
                {request.isMine ? ` – ${t('journal.correctionRequests.toYou')}` : request.assignedToName ? ` – ${t('journal.correctionRequests.to', { name: request.assignedToName })}` : ''}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {request.requestedChange}
              </Text>
              {canRecordRefusal && (
                <Group>
                  <Button size="xs" variant="default" onClick={() => onRefuse(request)} data-testid="correction-refuse">
                    {t('journal.correctionRequests.refuse')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Paper>
        ))}
      </Stack>
    </Alert>
  );
}

/** The default measurement, except that a card in a hidden tab panel (display: none) keeps its last height instead of 0. */
function measureCard(element: HTMLDivElement, entry: ResizeObserverEntry | undefined, instance: Virtualizer<Window, HTMLDivElement>): number {
  const size = measureElement(element, entry, instance);
  if (size > 0) return size;
  // Counted as 0 high, every card of a hidden panel would fall inside the window and be mounted.
  return instance.itemSizeCache.get(instance.options.getItemKey(instance.indexFromElement(element))) ?? ESTIMATED_CARD_HEIGHT;
}
const estimateCardSize = () => ESTIMATED_CARD_HEIGHT;

interface NoteListProps {
  notes: NoteSummary[];
  hasMore: boolean;
  canWrite: boolean;
  printingNoteId: string | null;
  onEdit: (note: NoteSummary) => void;
  onAmend: (note: NoteSummary) => void;
  onHistory: (note: NoteSummary) => void;
  onPrint: (noteId: string) => void;
}

/**
 * The fetched notes as a virtualised list: only the cards near the window are mounted (a 5,000-note
 * journal mounted in full was 120,000 DOM nodes and scrolled at well under 30 frames a second).
 *
 * The page (window) scrolls, not a box of its own inside it: the AppShell header is fixed anyway,
 * the page keeps a single scroll bar, and Page Down, Space, the arrow keys and the wheel scroll the
 * notes as they scroll any other page, without first having to focus or hover a scroll box. The
 * virtualiser is told how far down the page the list starts (scrollMargin), measured again whenever
 * the page's height changes, as the draft editor and the alerts above the list come and go. (The
 * cards no longer have content-visibility: auto; the overscan cards just outside the window would
 * be measured at its placeholder height.)
 *
 * For assistive technology each card says where it stands (aria-posinset) in how many
 * (aria-setsize, -1 while "Vis flere" can fetch more). Keyboard focus is kept in a mounted card
 * (indexesToMount), and Tab reaches the next note, which the browser scrolls into view.
 */
function NoteList({ notes, hasMore, canWrite, printingNoteId, onEdit, onAmend, onHistory, onPrint }: NoteListProps) {
  const { t } = useTranslation();
  const listRef = useRef<HTMLDivElement>(null);
  const [scrollMargin, setScrollMargin] = useState(0);
  // By id, not index: a refreshed list may hold the note at another place.
  const [focusedId, setFocusedId] = useState<string | null>(null);
  // Which notes are opened in full lives here, not in the card: a card scrolled out is unmounted.
  const [openIds, setOpenIds] = useState<ReadonlySet<string>>(() => new Set());

  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    const measure = () => {
      // In a hidden tab panel the list has no box, and its offset would be wrong: keep the last.
      if (list.getClientRects().length === 0) return;
      setScrollMargin(Math.round(list.getBoundingClientRect().top + window.scrollY));
    };
    measure();
    // Whatever moves the list (the editor growing, an alert, the header wrapping) changes the page's height.
    const observer = new ResizeObserver(measure);
    observer.observe(document.body);
    return () => observer.disconnect();
  }, []);

  const focusedIndex = useMemo(() => (focusedId === null ? -1 : notes.findIndex((note) => note.id === focusedId)), [notes, focusedId]);
  const getItemKey = useCallback((index: number) => notes[index]?.id ?? index, [notes]);
  const rangeExtractor = useCallback((range: Range) => indexesToMount(defaultRangeExtractor(range), focusedIndex, range.count), [focusedIndex]);
  const virtualizer = useWindowVirtualizer<HTMLDivElement>({
    count: notes.length,
    estimateSize: estimateCardSize,
    gap: CARD_GAP,
    overscan: OVERSCAN,
    scrollMargin,
    getItemKey,
    rangeExtractor,
    measureElement: measureCard,
  });
  const onToggle = useCallback(
    (noteId: string) =>
      setOpenIds((current) => {
        const next = new Set(current);
        if (!next.delete(noteId)) next.add(noteId);
        return next;
      }),
    [],
  );
  const onFocus = useCallback((event: FocusEvent<HTMLDivElement>) => {
    const noteId = (event.target as Element).closest<HTMLElement>('[data-note-id]')?.dataset.noteId;
    if (noteId) setFocusedId(noteId);
  }, []);
  const setSize = hasMore ? -1 : notes.length;

  return (
    <div ref={listRef} role="list" aria-label={t('journal.notes.title')} data-testid="notes-list" onFocus={onFocus} style={{ position: 'relative', height: virtualizer.getTotalSize() }}>
      {virtualizer.getVirtualItems().map((item) => {
        const note = notes[item.index];
        if (!note) return null;
        return (
          <NoteCard
            key={note.id}
            note={note}
            index={item.index}
            top={item.start - scrollMargin}
            setSize={setSize}
            measureRef={virtualizer.measureElement}
            isOpen={openIds.has(note.id)}
            onToggle={onToggle}
            canWrite={canWrite}
            isPrinting={printingNoteId === note.id}
            onEdit={onEdit}
            onAmend={onAmend}
            onHistory={onHistory}
            onPrint={onPrint}
          />
        );
      })}
    </div>
  );
}

interface NoteCardProps {
  note: NoteSummary;
  /** Its place in the loaded list (0-based), its offset from the list's top, and the list's aria-setsize. */
  index: number;
  top: number;
  setSize: number;
  measureRef: (element: HTMLDivElement | null) => void;
  isOpen: boolean;
  onToggle: (noteId: string) => void;
  canWrite: boolean;
  isPrinting: boolean;
  onEdit: (note: NoteSummary) => void;
  onAmend: (note: NoteSummary) => void;
  onHistory: (note: NoteSummary) => void;
  onPrint: (noteId: string) => void;
}

/** One note: type, date, author, status and a preview; the full text once opened. */
const NoteCard = memo(function NoteCard({ note, index, top, setSize, measureRef, isOpen, onToggle, canWrite, isPrinting, onEdit, onAmend, onHistory, onPrint }: NoteCardProps) {
  const { t } = useTranslation();
  const body = note.body ?? '';
  const preview = previewOf(body);
  const isDraft = note.status === 'draft';
  const typeLabel = translateCode(`journal.noteTypes.${note.noteType}`, {}, note.noteType);
  return (
    <Paper
      ref={measureRef}
      data-index={index}
      style={{ position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${top}px)` }}
      withBorder
      p="sm"
      radius="md"
      role="listitem"
      aria-posinset={index + 1}
      aria-setsize={setSize}
      data-testid="note-card"
      data-note-id={note.id}
      data-status={note.status}
    >
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
              <Button size="compact-xs" variant="subtle" onClick={() => onToggle(note.id)} aria-expanded={isOpen}>
                {isOpen ? t('journal.notes.collapse') : t('journal.notes.expand')}
              </Button>
            )}
          </Group>
        </Group>
      </Stack>
    </Paper>
  );
});
