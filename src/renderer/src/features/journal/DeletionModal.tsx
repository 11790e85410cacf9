import { Alert, Button, Checkbox, Group, Menu, Modal, Radio, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AUTHOR_CONSULTATIONS, type AuthorConsultation, DELETION_GROUNDS, DELETION_REASON_MAX_LENGTH, DELETION_REASON_MIN_LENGTH, type DeletionGround } from '../../../../shared/journal-deletion';
import { errorText, fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useCurrentUser } from '../auth/session-context';
import { useStepUpMutation } from '../auth/step-up';
import { osloToday, parseDateInput, toDateInput } from './dates';
import { noteLabel } from './note-label';
import type { NoteSummary } from './types';

/**
 * JRN-4 (helsepersonelloven §§ 43–44): deleting a signed note under a documented decision. The
 * record provides who may decide (a clinician with a treatment relationship) and one modal; a note's
 * action menu asks for it with <DeleteNoteMenuItem>, and the notes list hears about a deletion with
 * useOnNoteDeleted, so neither needs to pass anything down.
 */
interface NoteDeletionContext {
  canDecide: boolean;
  request: (note: NoteSummary) => void;
  subscribe: (listener: () => void) => () => void;
}

const DeletionContext = createContext<NoteDeletionContext | null>(null);

export function NoteDeletionProvider({ canDecide, children }: { canDecide: boolean; children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [note, setNote] = useState<NoteSummary | null>(null);
  const listeners = useRef(new Set<() => void>());
  const value = useMemo<NoteDeletionContext>(
    () => ({
      canDecide,
      request: setNote,
      subscribe: (listener) => {
        listeners.current.add(listener);
        return () => {
          listeners.current.delete(listener);
        };
      },
    }),
    [canDecide],
  );
  const onDeleted = useCallback(() => {
    for (const listener of listeners.current) listener();
    void queryClient.invalidateQueries(trpc.journal.deletions.pathFilter());
  }, [queryClient, trpc]);
  return (
    <DeletionContext.Provider value={value}>
      {children}
      {canDecide && <DeletionModal key={note?.id ?? 'closed'} note={note} onClose={() => setNote(null)} onDeleted={onDeleted} />}
    </DeletionContext.Provider>
  );
}

/** Calls `listener` after a note has been deleted (e.g. to reload the list from the top). */
export function useOnNoteDeleted(listener: () => void): void {
  const context = useContext(DeletionContext);
  useEffect(() => context?.subscribe(listener), [context, listener]);
}

/** The entry in a signed note's action menu; nothing for those who may not decide, or for a draft. */
export function DeleteNoteMenuItem({ note }: { note: NoteSummary }) {
  const { t } = useTranslation();
  const context = useContext(DeletionContext);
  if (!context?.canDecide || note.status === 'draft') return null;
  return (
    <Menu.Item color="red" onClick={() => context.request(note)} data-testid="delete-note">
      {t('journal.deletion.open')}
    </Menu.Item>
  );
}

function DeletionModal({ note, onClose, onDeleted }: { note: NoteSummary | null; onClose: () => void; onDeleted: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const me = useCurrentUser();
  const isAuthor = note !== null && me.data?.userId === note.authorId;
  const [legalGround, setLegalGround] = useState<DeletionGround | ''>('');
  const [isHarmless, setIsHarmless] = useState(false);
  const [isArchiveLawMet, setIsArchiveLawMet] = useState(false);
  const [requestedAt, setRequestedAt] = useState(() => toDateInput(osloToday()));
  const [consultation, setConsultation] = useState<AuthorConsultation | ''>('');
  const [reason, setReason] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const deletion = useStepUpMutation(trpc.journal.deleteNote.mutationOptions());
  // The author is known once the user is: the choice defaults to what is true of the author.
  const authorConsultation = consultation || (isAuthor ? 'author_is_decider' : 'consulted');
  const labels = {
    legalGround: t('journal.deletion.ground'),
    isHarmlessForGeneralInterests: t('journal.deletion.harmless'),
    isCompatibleWithArchiveLaw: t('journal.deletion.archiveLaw'),
    requestedAt: t('journal.deletion.requestedAt'),
    authorConsultation: t('journal.deletion.authorConsultation'),
    reason: t('journal.deletion.reason'),
  };
  const serverErrors = fieldErrorMessages(deletion.error, labels);
  const errors: Record<string, string | undefined> = { ...serverErrors, ...clientErrors };
  const general = deletion.error && Object.keys(serverErrors).every((key) => key === '') ? (serverErrors[''] ?? errorText(deletion.error)) : undefined;

  // A field's own error goes once the field is changed; the others stay until the next try.
  const edited = (field: string) => setClientErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => key !== field)));
  const close = () => {
    deletion.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!note) return;
    const date = parseDateInput(requestedAt);
    const condition = (isMet: boolean, label: string) => (isMet ? undefined : translateCode('validation.deletion_condition', { field: label }));
    const found = Object.fromEntries(
      Object.entries({
        legalGround: legalGround ? undefined : translateCode('validation.deletion_ground', { field: labels.legalGround }),
        isHarmlessForGeneralInterests: condition(isHarmless, labels.isHarmlessForGeneralInterests),
        isCompatibleWithArchiveLaw: condition(isArchiveLawMet, labels.isCompatibleWithArchiveLaw),
        requestedAt: !date
          ? translateCode('validation.date', { field: labels.requestedAt })
          : date > osloToday()
            ? translateCode('validation.date_in_future', { field: labels.requestedAt })
            : undefined,
        reason: reason.trim().length < DELETION_REASON_MIN_LENGTH ? translateCode('validation.deletion_reason_short', { field: labels.reason, limit: DELETION_REASON_MIN_LENGTH }) : undefined,
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    setClientErrors(found);
    if (!date || !legalGround || !isHarmless || !isArchiveLawMet || Object.keys(found).length > 0) return;
    deletion.mutate(
      { noteId: note.id, legalGround, isHarmlessForGeneralInterests: true, isCompatibleWithArchiveLaw: true, requestedAt: date, authorConsultation, reason },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('journal.deletion.done') });
          onDeleted();
          close();
        },
      },
    );
  };

  return (
    <Modal opened={note !== null} onClose={close} title={t('journal.deletion.title')} size="lg" data-testid="deletion-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {note && (
            <Text size="sm" c="dimmed" data-testid="deletion-note">
              {noteLabel(note)}
            </Text>
          )}
          <Alert color="red" variant="light" title={t('journal.deletion.warningTitle')} data-testid="deletion-warning">
            {t('journal.deletion.warning')}
          </Alert>
          <Text size="sm">{t('journal.deletion.conditions')}</Text>
          <Radio.Group
            label={labels.legalGround}
            withAsterisk
            value={legalGround}
            onChange={(value) => {
              edited('legalGround');
              setLegalGround((DELETION_GROUNDS as readonly string[]).includes(value) ? (value as DeletionGround) : '');
            }}
            error={errors.legalGround}
          >
            <Stack gap={6} mt={4}>
              {DELETION_GROUNDS.map((ground) => (
                <Radio key={ground} value={ground} label={t(`journal.deletion.grounds.${ground}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <Checkbox
            label={labels.isHarmlessForGeneralInterests}
            checked={isHarmless}
            onChange={(event) => {
              edited('isHarmlessForGeneralInterests');
              setIsHarmless(event.currentTarget.checked);
            }}
            error={errors.isHarmlessForGeneralInterests}
          />
          <Checkbox
            label={labels.isCompatibleWithArchiveLaw}
            checked={isArchiveLawMet}
            onChange={(event) => {
              edited('isCompatibleWithArchiveLaw');
              setIsArchiveLawMet(event.currentTarget.checked);
            }}
            error={errors.isCompatibleWithArchiveLaw}
          />
          <TextInput
            label={labels.requestedAt}
            required
            placeholder={t('journal.datePlaceholder')}
            value={requestedAt}
            onChange={(event) => {
              edited('requestedAt');
              setRequestedAt(event.currentTarget.value);
            }}
            error={errors.requestedAt}
            w={200}
          />
          <Radio.Group
            label={labels.authorConsultation}
            withAsterisk
            value={authorConsultation}
            onChange={(value) => setConsultation((AUTHOR_CONSULTATIONS as readonly string[]).includes(value) ? (value as AuthorConsultation) : '')}
            error={errors.authorConsultation}
          >
            <Stack gap={6} mt={4}>
              {AUTHOR_CONSULTATIONS.map((option) => (
                <Radio key={option} value={option} label={t(`journal.deletion.consultations.${option}`, { name: note?.authorName ?? '' })} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={labels.reason}
            required
            description={t('journal.deletion.reasonHint')}
            autosize
            minRows={3}
            maxLength={DELETION_REASON_MAX_LENGTH}
            value={reason}
            onChange={(event) => {
              edited('reason');
              setReason(event.currentTarget.value);
            }}
            error={errors.reason}
          />
          {general && (
            <Alert color="red" role="alert">
              {general}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" color="red" loading={deletion.isPending}>
              {t('journal.deletion.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
