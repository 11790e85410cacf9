import { Alert, Badge, Button, Group, Loader, Modal, NativeSelect, Paper, SimpleGrid, Stack, Text, Textarea, TextInput, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useStepUpMutation } from '../auth/step-up';
import { osloToday, parseDateInput, toDateInput } from './dates';
import { noteLabel } from './note-label';
import { diffWords } from './text-diff';
import type { CorrectionRequest, NoteSummary } from './types';

/** Field errors of a form: what the form found before sending wins over what the server said. */
function useFormErrors(error: unknown, labels: Record<string, string>, clientErrors: Record<string, string>) {
  const serverErrors = fieldErrorMessages(error, labels);
  const errors: Record<string, string | undefined> = { ...serverErrors, ...clientErrors };
  const general = error && Object.keys(serverErrors).every((key) => key === '') ? (serverErrors[''] ?? errorText(error)) : undefined;
  return { errors, general };
}

function required(value: string, label: string, minimum = 3): string | undefined {
  return value.trim().length < minimum ? translateCode('validation.required', { field: label }) : undefined;
}

/**
 * JRN-4: amending a signed note adds a new signed version with the reason; the original stays in
 * the history, with who amended it and when. Signed, so step-up (AUTH-5).
 */
export function AmendModal({
  note,
  correctionRequests,
  onClose,
  onDone,
}: {
  note: NoteSummary | null;
  /** The DPO's open correction requests: the amendment may answer one (JRN-4, DPO-4). */
  correctionRequests: readonly CorrectionRequest[];
  onClose: () => void;
  onDone: (answeredRequestId: string | null) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [body, setBody] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [requestId, setRequestId] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const amend = useStepUpMutation(trpc.journal.amend.mutationOptions());
  const labels = { body: t('journal.amend.text'), reason: t('journal.amend.reason'), correctionRequestId: t('journal.amend.answers') };
  const { errors, general } = useFormErrors(amend.error, labels, clientErrors);
  const text = body ?? note?.body ?? '';

  const close = () => {
    setBody(null);
    setReason('');
    setRequestId('');
    setClientErrors({});
    amend.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!note) return;
    const found = Object.fromEntries(
      Object.entries({ body: required(text, labels.body, 1), reason: required(reason, labels.reason) }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    setClientErrors(found);
    if (Object.keys(found).length > 0) return;
    const answers = correctionRequests.some((request) => request.id === requestId) ? requestId : null;
    amend.mutate(
      { noteId: note.id, body: text, reason, ...(answers ? { correctionRequestId: answers } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('journal.amend.done') });
          onDone(answers);
          close();
        },
      },
    );
  };

  return (
    <Modal opened={note !== null} onClose={close} title={t('journal.amend.title')} size="xl" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="amend-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {note && (
            <Text size="sm" c="dimmed">
              {noteLabel(note)}
            </Text>
          )}
          <Alert color="blue" variant="light">
            {t('journal.amend.intro')}
          </Alert>
          <Textarea label={labels.body} required autosize minRows={6} maxRows={20} maxLength={100_000} value={text} onChange={(event) => setBody(event.currentTarget.value)} error={errors.body} />
          <Textarea label={labels.reason} required description={t('journal.amend.reasonHint')} autosize minRows={2} maxLength={2000} value={reason} onChange={(event) => setReason(event.currentTarget.value)} error={errors.reason} data-autofocus />
          {correctionRequests.length > 0 && (
            <NativeSelect
              label={t('journal.amend.answers')}
              description={t('journal.amend.answersHint')}
              value={requestId}
              onChange={(event) => setRequestId(event.currentTarget.value)}
              data={[
                { value: '', label: t('journal.amend.answersNone') },
                ...correctionRequests.map((request) => ({ value: request.id, label: t('journal.amend.answersOption', { reference: request.caseReference, date: formatDateTime(request.requestedAt) }) })),
              ]}
              error={errors.correctionRequestId}
              data-testid="amend-answers"
            />
          )}
          {general && (
            <Alert color="red" role="alert">
              {general}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={amend.isPending}>
              {t('journal.amend.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** JRN-4: every version of a note, side by side on a wide screen: who wrote, signed or amended, when and why. */
/**
 * JRN-4: what an amendment changed, word by word: removed text struck through, added text marked.
 * Not by colour alone: the marks are <del> and <ins>, announced with their kind to screen readers.
 */
function VersionChanges({ before, after, fromVersion }: { before: string; after: string; fromVersion: number }) {
  const { t } = useTranslation();
  const parts = useMemo(() => diffWords(before, after), [before, after]);
  return (
    <Paper withBorder p="xs" radius="sm" bg="var(--mantine-color-default-hover)" data-testid="history-diff">
      <Text size="xs" c="dimmed" fw={500} mb={4}>
        {t('journal.history.changes', { version: fromVersion })}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {parts.map((part, index) =>
          part.kind === 'same' ? (
            <span key={index}>{part.text}</span>
          ) : part.kind === 'removed' ? (
            <del key={index} style={{ color: 'var(--mantine-color-red-text)', background: 'var(--mantine-color-red-light)' }} data-testid="diff-removed">
              <VisuallyHidden>{t('journal.history.removed')} </VisuallyHidden>
              {part.text}
            </del>
          ) : (
            <ins key={index} style={{ color: 'var(--mantine-color-green-text)', background: 'var(--mantine-color-green-light)' }} data-testid="diff-added">
              <VisuallyHidden>{t('journal.history.added')} </VisuallyHidden>
              {part.text}
            </ins>
          ),
        )}
      </Text>
    </Paper>
  );
}

export function HistoryModal({ noteId, onClose }: { noteId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const history = useQuery(trpc.journal.history.queryOptions({ noteId: noteId ?? '' }, { enabled: noteId !== null, staleTime: 0, gcTime: 0, retry: false }));
  const versions = history.data?.versions ?? [];
  return (
    <Modal opened={noteId !== null} onClose={onClose} title={t('journal.history.title')} size="80rem" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="history-modal">
      {history.isPending && <Loader size="sm" />}
      {history.isError && (
        <Alert color="red" role="alert">
          {errorText(history.error)}
        </Alert>
      )}
      {history.data && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {formatCalendarDate(history.data.consultationDate)} · {translateCode(`journal.noteTypes.${history.data.noteType}`, {}, history.data.noteType)} ·{' '}
            {t('journal.history.versions', { count: versions.length })}
          </Text>
          <SimpleGrid cols={{ base: 1, md: Math.max(1, Math.min(versions.length, 2)) }} spacing="sm">
            {versions.map((version, index) => (
              <Paper key={version.version} withBorder p="sm" radius="md" data-testid="history-version" data-version={version.version}>
                <Stack gap={6}>
                  <Group gap="xs">
                    <Text fw={600} size="sm">
                      {t('journal.history.version', { version: version.version })}
                    </Text>
                    {index === versions.length - 1 && (
                      <Badge size="sm" variant="light">
                        {t('journal.history.current')}
                      </Badge>
                    )}
                    {index === 0 && versions.length > 1 && (
                      <Badge size="sm" variant="light" color="gray">
                        {t('journal.history.original')}
                      </Badge>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {version.amendmentReason
                      ? t('journal.history.amendedBy', { name: version.createdByName, time: formatDateTime(version.createdAt) })
                      : t('journal.history.writtenBy', { name: version.createdByName, time: formatDateTime(version.createdAt) })}
                  </Text>
                  {version.signedAt && version.signedByName && (
                    <Text size="xs" c="dimmed">
                      {t('journal.history.signedBy', {
                        name: version.signedByName,
                        time: formatDateTime(version.signedAt),
                        method: version.signedAuthMethod ? translateCode(`activity.methods.${version.signedAuthMethod.replace(/\W/g, '_')}`, {}, version.signedAuthMethod) : '—',
                      })}
                    </Text>
                  )}
                  {version.amendmentReason && (
                    <Alert color="violet" variant="light" p="xs" title={t('journal.history.reason')}>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="history-reason">
                        {version.amendmentReason}
                      </Text>
                    </Alert>
                  )}
                  {index > 0 && <VersionChanges before={versions[index - 1]!.body} after={version.body} fromVersion={versions[index - 1]!.version} />}
                  <Text size="xs" c="dimmed" fw={500}>
                    {t('journal.history.fullText', { version: version.version })}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="history-body">
                    {version.body}
                  </Text>
                </Stack>
              </Paper>
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Modal>
  );
}

/**
 * JRN-4: a patient's request to correct the journal, refused — recorded in the journal itself,
 * with what was asked and why it was refused, as a signed note (so step-up, AUTH-5).
 */
export function CorrectionRefusalModal({
  opened,
  patientId,
  request,
  onClose,
  onDone,
}: {
  opened: boolean;
  patientId: string;
  /** The DPO's correction request this refusal answers (JRN-4, DPO-4): what was asked and when are filled in from it. */
  request: CorrectionRequest | null;
  onClose: () => void;
  onDone: (answeredRequestId: string | null) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [requestedAt, setRequestedAt] = useState(() => toDateInput(osloToday(request ? new Date(request.requestedAt) : undefined)));
  const [requestedChange, setRequestedChange] = useState(request?.requestedChange ?? '');
  const [reasons, setReasons] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const refuse = useStepUpMutation(trpc.journal.recordCorrectionRefusal.mutationOptions());
  const labels = { requestedAt: t('journal.refusal.requestedAt'), requestedChange: t('journal.refusal.requestedChange'), reasons: t('journal.refusal.reasons') };
  const { errors, general } = useFormErrors(refuse.error, labels, clientErrors);

  const close = () => {
    setRequestedAt(toDateInput(osloToday()));
    setRequestedChange('');
    setReasons('');
    setClientErrors({});
    refuse.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const date = parseDateInput(requestedAt);
    const found = Object.fromEntries(
      Object.entries({
        requestedAt: date ? undefined : translateCode('validation.date', { field: labels.requestedAt }),
        requestedChange: required(requestedChange, labels.requestedChange),
        reasons: required(reasons, labels.reasons),
      }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    setClientErrors(found);
    if (!date || Object.keys(found).length > 0) return;
    refuse.mutate(
      { patientId, requestedAt: date, requestedChange, reasons, ...(request ? { correctionRequestId: request.id } : {}) },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('journal.refusal.done') });
          onDone(request?.id ?? null);
          close();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={t('journal.refusal.title')} size="lg" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="refusal-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('journal.refusal.intro')}
          </Text>
          {request && (
            <Alert color="violet" variant="light" data-testid="refusal-answers">
              {t('journal.refusal.answers', { reference: request.caseReference })}
            </Alert>
          )}
          <TextInput label={labels.requestedAt} required placeholder={t('journal.datePlaceholder')} value={requestedAt} onChange={(event) => setRequestedAt(event.currentTarget.value)} error={errors.requestedAt} w={200} />
          <Textarea label={labels.requestedChange} required autosize minRows={3} maxLength={5000} value={requestedChange} onChange={(event) => setRequestedChange(event.currentTarget.value)} error={errors.requestedChange} data-autofocus />
          <Textarea label={labels.reasons} required autosize minRows={3} maxLength={5000} value={reasons} onChange={(event) => setReasons(event.currentTarget.value)} error={errors.reasons} />
          {general && (
            <Alert color="red" role="alert">
              {general}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={refuse.isPending}>
              {t('journal.refusal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
