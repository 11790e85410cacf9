import { Alert, Anchor, Button, Card, Group, Loader, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REJECT_REASONS, type RejectReason } from '../../../../shared/visit-schemas';
import { formatCalendarDate, formatTime } from '../../lib/format';
import { translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useCurrentUser } from '../auth/session-context';
import { osloInstant, osloToday, parseTimeInput } from '../journal/dates';
import { ClinicianOnly } from '../shared/ClinicianOnly';
import { hashOf } from '../shell/routes';
import { LinkPatientForm, RecordExceptionForm } from './BookingDrawer';
import { CancelModal } from './CancelModal';
import type { DoctorVisit } from './types';
import { useVisitsChanged } from './use-visits-changed';
import { FALLBACK_REFETCH_MS, useVisitsLive } from './use-visits-live';
import { StatusBadge, UrgencyBadge } from './VisitBadges';
import { visitErrorText } from './visit-errors';
import { formatWindow } from './visit-time';

/**
 * The doctor's home visits of the day, in order (VIS-3): address, reason and phone; accept or
 * reject, en route with an ETA, arrived, document the visit in the journal (linking the booking to
 * the patient, which gives the treatment relationship of ACC-2) and complete it with that note.
 */
export function MyVisitsPage() {
  const { t } = useTranslation();
  return (
    <ClinicianOnly title={t('visits.mine.title')} message={t('consultations.noAccess')}>
      <MyVisitsContent />
    </ClinicianOnly>
  );
}

function MyVisitsContent() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const day = osloToday();
  const live = useVisitsLive();
  const mine = useQuery(trpc.visits.mine.queryOptions({ date: day }, { staleTime: 0, refetchInterval: live.isLive ? false : FALLBACK_REFETCH_MS }));
  const [cancelling, setCancelling] = useState<DoctorVisit | null>(null);
  return (
    <Stack gap="md" data-testid="my-visits-page">
      <div>
        <Title order={2}>{t('visits.mine.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('start.today', { date: formatCalendarDate(day) })}
        </Text>
      </div>
      {mine.isError && (
        <Alert color="red" role="alert">
          {visitErrorText(mine.error)}
        </Alert>
      )}
      {!mine.data && !mine.isError && <Loader size="sm" />}
      {mine.data?.visits.length === 0 && <Text c="dimmed">{t('visits.mine.empty')}</Text>}
      {mine.data && mine.data.visits.length > 0 && (
        <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {mine.data.visits.map((visit) => (
            <li key={visit.id}>
              <VisitCard visit={visit} day={day} onCancel={() => setCancelling(visit)} />
            </li>
          ))}
        </Stack>
      )}
      <CancelModal booking={cancelling} onClose={() => setCancelling(null)} />
    </Stack>
  );
}

function VisitCard({ visit, day, onCancel }: { visit: DoctorVisit; day: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const headingId = `visit-${visit.id}`;
  const name = visit.fullName ?? t('visits.board.anonymised');
  const isOpen = visit.status !== 'completed' && visit.status !== 'cancelled';
  return (
    <Card withBorder component="article" aria-labelledby={headingId} data-testid="my-visit" data-status={visit.status}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs">
            <Title order={3} size="h4" id={headingId}>
              {formatWindow(visit.earliestAt, visit.latestAt, day)} · {name}
            </Title>
            <StatusBadge status={visit.status} />
            <UrgencyBadge urgency={visit.urgency} />
          </Group>
          <Text size="sm">{[visit.street, [visit.postcode, visit.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')}</Text>
          {visit.phone && (
            <Text size="sm">
              {t('visits.intake.phone')}: <Anchor href={`tel:${visit.phone}`}>{visit.phone}</Anchor>
            </Text>
          )}
          {visit.reason && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {t('visits.intake.reason')}: {visit.reason}
            </Text>
          )}
          {visit.eta && <Text size="sm">{t('visits.mine.etaShown', { time: formatTime(visit.eta) })}</Text>}
        </div>
        {isOpen && (
          <Button variant="subtle" color="red" size="compact-sm" onClick={onCancel}>
            {t('visits.board.cancel')}
          </Button>
        )}
      </Group>
      <Stack gap="xs" mt="sm">
        <VisitActions visit={visit} day={day} />
        {isOpen && <RecordExceptionForm bookingId={visit.id} />}
      </Stack>
    </Card>
  );
}

/** The buttons the visit's state allows; the server enforces the same transitions (VIS-3). */
function VisitActions({ visit, day }: { visit: DoctorVisit; day: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useVisitsChanged();
  const accept = useMutation(trpc.visits.accept.mutationOptions({ onSuccess: changed }));
  const arrived = useMutation(trpc.visits.setArrived.mutationOptions({ onSuccess: changed }));
  const error = accept.error ?? arrived.error;

  let actions = null;
  if (visit.status === 'assigned' && visit.acceptedAt === null) {
    actions = (
      <Group gap="xs" align="flex-end">
        <Button onClick={() => accept.mutate({ bookingId: visit.id })} loading={accept.isPending}>
          {t('visits.mine.accept')}
        </Button>
        <RejectForm bookingId={visit.id} />
      </Group>
    );
  } else if (visit.status === 'assigned') {
    actions = <EnRouteForm bookingId={visit.id} day={day} />;
  } else if (visit.status === 'en_route') {
    actions = (
      <Button onClick={() => arrived.mutate({ bookingId: visit.id })} loading={arrived.isPending}>
        {t('visits.mine.arrived')}
      </Button>
    );
  } else if (visit.status === 'arrived') {
    actions = <DocumentAndComplete visit={visit} day={day} />;
  }
  return (
    <>
      {actions}
      {error && (
        <Alert color="red" role="alert">
          {visitErrorText(error)}
        </Alert>
      )}
    </>
  );
}

function RejectForm({ bookingId }: { bookingId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useVisitsChanged();
  const [reason, setReason] = useState<RejectReason | ''>('');
  const reject = useMutation(trpc.visits.reject.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason === '') return;
    reject.mutate(
      { bookingId, reason },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('visits.mine.rejected') });
          changed();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Group gap="xs" align="flex-end">
        <NativeSelect
          label={t('visits.mine.rejectReason')}
          value={reason}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setReason((REJECT_REASONS as readonly string[]).includes(value) ? (value as RejectReason) : '');
            reject.reset();
          }}
          data={[{ value: '', label: t('visits.intake.choose') }, ...REJECT_REASONS.map((value) => ({ value, label: t(`visits.rejectReasons.${value}`) }))]}
        />
        <Button type="submit" variant="default" disabled={reason === ''} loading={reject.isPending}>
          {t('visits.mine.reject')}
        </Button>
      </Group>
      {reject.error && (
        <Alert color="red" role="alert" mt="xs">
          {visitErrorText(reject.error)}
        </Alert>
      )}
    </form>
  );
}

/** En route with the expected arrival as a time today (Oslo): no map, an ETA the patient can be told. */
function EnRouteForm({ bookingId, day }: { bookingId: string; day: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useVisitsChanged();
  const [time, setTime] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const enRoute = useMutation(trpc.visits.setEnRoute.mutationOptions({ onSuccess: changed }));
  const label = t('visits.mine.eta');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const clock = parseTimeInput(time);
    if (!clock) {
      setClientError(translateCode(time.trim() === '' ? 'validation.required' : 'consultations.timeInvalid', { field: label }));
      return;
    }
    enRoute.mutate({ bookingId, eta: osloInstant(day, clock) });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Group gap="xs" align="flex-start">
        <TextInput
          label={label}
          required
          placeholder={t('consultations.timePlaceholder')}
          value={time}
          onChange={(event) => {
            setTime(event.currentTarget.value);
            setClientError(undefined);
            enRoute.reset();
          }}
          error={clientError}
          w={140}
          autoComplete="off"
        />
        <Button type="submit" mt={25} loading={enRoute.isPending}>
          {t('visits.mine.enRoute')}
        </Button>
      </Group>
      {enRoute.error && (
        <Alert color="red" role="alert" mt="xs">
          {visitErrorText(enRoute.error)}
        </Alert>
      )}
    </form>
  );
}

/**
 * Document, then complete. Documenting links the booking to the patient (asking for the
 * fødselsnummer when the booking has none linked), starts a home-visit note in that patient's
 * journal (or finds the one already started for this visit) and opens the journal. Completing
 * takes that note as the visit's documentation reference.
 */
function DocumentAndComplete({ visit, day }: { visit: DoctorVisit; day: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const me = useCurrentUser();
  const changed = useVisitsChanged();
  const [isLinking, setIsLinking] = useState(false);
  const createDraft = useMutation(trpc.journal.createDraft.mutationOptions());
  const complete = useMutation(trpc.visits.complete.mutationOptions({ onSuccess: changed }));
  const authorId = me.data?.userId;
  // The note for this visit: the newest home-visit note of this doctor for this patient, from today.
  const notes = useQuery(
    trpc.journal.notes.queryOptions(
      { patientId: visit.patientId ?? '', limit: 5, filter: { noteTypes: ['home_visit'], authorId: authorId ?? '', from: day } },
      { enabled: visit.patientId !== null && authorId !== undefined && visit.documentationNoteId === null, staleTime: 0 },
    ),
  );
  const noteId = visit.documentationNoteId ?? notes.data?.notes[0]?.id ?? null;

  const openJournal = (patientId: string) => {
    window.location.hash = hashOf({ page: 'patient', patientId });
  };
  const documentVisit = (patientId: string) => {
    if (noteId) {
      openJournal(patientId);
      return;
    }
    createDraft.mutate({ patientId, noteType: 'home_visit', consultationDate: day, body: '' }, { onSuccess: () => openJournal(patientId) });
  };

  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          variant={noteId ? 'default' : 'filled'}
          loading={createDraft.isPending}
          onClick={() => {
            if (visit.patientId) documentVisit(visit.patientId);
            else setIsLinking(true);
          }}
        >
          {noteId ? t('visits.mine.openNote') : t('visits.mine.document')}
        </Button>
        <Button disabled={noteId === null} loading={complete.isPending} onClick={() => noteId && complete.mutate({ bookingId: visit.id, documentationNoteId: noteId })} aria-describedby={noteId ? undefined : `needs-note-${visit.id}`}>
          {t('visits.mine.complete')}
        </Button>
      </Group>
      {noteId === null && (
        <Text size="sm" c="dimmed" id={`needs-note-${visit.id}`}>
          {t('visits.mine.needsNote')}
        </Text>
      )}
      {isLinking && visit.patientId === null && <LinkPatientForm bookingId={visit.id} patientId={null} nationalId={visit.nationalId} onLinked={documentVisit} />}
      {(createDraft.error ?? complete.error) && (
        <Alert color="red" role="alert">
          {visitErrorText(createDraft.error ?? complete.error)}
        </Alert>
      )}
    </Stack>
  );
}
