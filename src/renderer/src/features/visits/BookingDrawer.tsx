import { Alert, Badge, Button, Drawer, Group, Loader, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { nationalIdentityNumberSchema } from '../../../../shared/national-identity-number';
import { EXCEPTION_KINDS, type ExceptionKind, RETENTION_HOLDS, type RetentionHold } from '../../../../shared/visit-schemas';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { fieldErrorMessages, issueMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import type { BookingView } from './types';
import { useVisitsChanged } from './use-visits-changed';
import { StatusBadge, UrgencyBadge } from './VisitBadges';
import { visitErrorText } from './visit-errors';

/**
 * VIS-3: one booking for the coordinator — the intake details, the timeline of status changes, the
 * exceptions (and recording one), linking to the patient register by fødselsnummer, and a
 * retention hold (VIS-4). Never journal content: a linked patient is shown as linked, not opened.
 */
export function BookingDrawer({ bookingId, onClose }: { bookingId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Drawer opened={bookingId !== null} onClose={onClose} position="right" size="xl" title={t('visits.booking.title')} closeButtonProps={{ 'aria-label': t('app.close') }}>
      {bookingId && <BookingContent key={bookingId} bookingId={bookingId} />}
    </Drawer>
  );
}

function BookingContent({ bookingId }: { bookingId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const view = useQuery(trpc.visits.booking.queryOptions({ bookingId }, { staleTime: 0 }));
  if (view.isError) {
    return (
      <Alert color="red" role="alert">
        {visitErrorText(view.error)}
      </Alert>
    );
  }
  if (!view.data) return <Loader size="sm" />;
  const { booking, timeline, exceptions } = view.data;
  const isOpen = booking.status !== 'completed' && booking.status !== 'cancelled';
  return (
    <Stack gap="lg" data-testid="booking-drawer">
      <Group gap="xs">
        <StatusBadge status={booking.status} />
        <UrgencyBadge urgency={booking.urgency} />
        <Badge variant="outline" color="gray" size="sm">
          {translateCode(`visits.source.${booking.source}`, {}, booking.source)}
        </Badge>
      </Group>
      {booking.anonymisedAt && (
        <Alert color="gray" variant="light">
          {t('visits.booking.anonymised', { date: formatDateTime(booking.anonymisedAt) })}
        </Alert>
      )}
      <Details view={view.data} />

      <section aria-labelledby="booking-timeline">
        <Title order={3} size="h5" id="booking-timeline" mb="xs">
          {t('visits.booking.timeline')}
        </Title>
        <Table aria-labelledby="booking-timeline" data-testid="booking-timeline">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('visits.booking.when')}</Table.Th>
              <Table.Th>{t('visits.booking.change')}</Table.Th>
              <Table.Th>{t('visits.board.doctor')}</Table.Th>
              <Table.Th>{t('visits.booking.by')}</Table.Th>
              <Table.Th>{t('visits.booking.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {timeline.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.changedAt)}</Table.Td>
                <Table.Td>
                  {entry.fromStatus ? `${translateCode(`visits.status.${entry.fromStatus}`)} → ` : ''}
                  {translateCode(`visits.status.${entry.toStatus}`)}
                </Table.Td>
                <Table.Td>{entry.doctorName ?? '–'}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {entry.changedBy === 'system' || entry.changedBy === null ? t('visits.booking.system') : entry.changedBy}
                    {entry.isAutomatic && (
                      <Badge size="xs" variant="light" color="gray">
                        {t('visits.booking.automatic')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{entry.reason ? reasonText(entry.reason) : '–'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>

      <section aria-labelledby="booking-exceptions">
        <Title order={3} size="h5" id="booking-exceptions" mb="xs">
          {t('visits.booking.exceptions')}
        </Title>
        {exceptions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('visits.booking.noExceptions')}
          </Text>
        ) : (
          <Stack gap={4} component="ul" style={{ margin: 0, paddingLeft: '1.2rem' }} data-testid="booking-exception-list">
            {exceptions.map((exception) => (
              <li key={exception.id}>
                <Text size="sm">
                  {t(`visits.exceptionKinds.${exception.kind}`)} · {formatDateTime(exception.recordedAt)}
                  {exception.recordedBy ? ` · ${exception.recordedBy}` : ''}
                </Text>
              </li>
            ))}
          </Stack>
        )}
        {isOpen && <RecordExceptionForm bookingId={booking.id} />}
      </section>

      {!booking.anonymisedAt && <LinkPatientForm bookingId={booking.id} patientId={booking.patientId} nationalId={booking.nationalId} />}
      <RetentionHoldForm bookingId={booking.id} hold={booking.retentionHold} />
    </Stack>
  );
}

/** A timeline reason is a code (a cancel, reject or return reason), said in words when known. */
function reasonText(reason: string): string {
  for (const group of ['cancelReasons', 'rejectReasons', 'returnReasons']) {
    const key = `visits.${group}.${reason}`;
    const text = translateCode(key, {}, '');
    if (text !== '') return text;
  }
  return reason;
}

function Details({ view }: { view: BookingView }) {
  const { t } = useTranslation();
  const { booking } = view;
  const rows: [string, ReactNode][] = [
    [t('visits.intake.fullName'), booking.fullName],
    [t('visits.intake.street'), [booking.street, [booking.postcode, booking.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')],
    [t('visits.board.zone'), booking.zoneName],
    [t('visits.intake.dateOfBirth'), booking.dateOfBirth ? formatCalendarDate(booking.dateOfBirth) : null],
    [t('visits.intake.gender'), booking.gender ? translateCode(`visits.intake.genders.${booking.gender}`) : null],
    [t('visits.intake.nationalId'), booking.nationalId],
    [t('visits.intake.phone'), booking.phone],
    [t('visits.intake.email'), booking.email],
    [t('visits.intake.reason'), booking.reason],
    [t('visits.board.window'), `${formatDateTime(booking.earliestAt)}–${formatDateTime(booking.latestAt)}`],
    [t('visits.booking.created'), formatDateTime(booking.createdAt)],
    [t('visits.board.doctor'), booking.doctor?.name],
    [t('visits.board.eta'), booking.eta ? formatDateTime(booking.eta) : null],
    [t('visits.booking.cancelReason'), booking.cancelReason ? t(`visits.cancelReasons.${booking.cancelReason}`) : null],
  ];
  return (
    <Table variant="vertical" layout="fixed" withTableBorder data-testid="booking-details">
      <Table.Tbody>
        {rows
          .filter(([, value]) => value !== null && value !== undefined && value !== '')
          .map(([label, value]) => (
            <Table.Tr key={label}>
              <Table.Th w={180}>{label}</Table.Th>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{value}</Table.Td>
            </Table.Tr>
          ))}
      </Table.Tbody>
    </Table>
  );
}

export function RecordExceptionForm({ bookingId }: { bookingId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useVisitsChanged();
  const [kind, setKind] = useState<ExceptionKind | ''>('');
  const record = useMutation(trpc.visits.recordException.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === '') return;
    record.mutate(
      { bookingId, kind },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('visits.booking.exceptionRecorded') });
          setKind('');
          changed();
        },
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate>
      <Group gap="xs" align="flex-end" mt="xs">
        <NativeSelect
          label={t('visits.booking.exceptionKind')}
          value={kind}
          onChange={(event) => {
            const value = event.currentTarget.value;
            setKind((EXCEPTION_KINDS as readonly string[]).includes(value) ? (value as ExceptionKind) : '');
            record.reset();
          }}
          data={[{ value: '', label: t('visits.intake.choose') }, ...EXCEPTION_KINDS.map((value) => ({ value, label: t(`visits.exceptionKinds.${value}`) }))]}
        />
        <Button type="submit" variant="light" disabled={kind === ''} loading={record.isPending}>
          {t('visits.booking.recordException')}
        </Button>
      </Group>
      {record.error && (
        <Alert color="red" role="alert" mt="xs">
          {visitErrorText(record.error)}
        </Alert>
      )}
    </form>
  );
}

/**
 * VIS-1: linking a booking to the patient register is a deliberate, audited step — by
 * fødselsnummer, found or created from the booking's details. A web booking never does it itself.
 */
export function LinkPatientForm({ bookingId, patientId, nationalId, onLinked }: { bookingId: string; patientId: string | null; nationalId: string | null; onLinked?: (patientId: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useVisitsChanged();
  const [number, setNumber] = useState(nationalId ?? '');
  const [clientError, setClientError] = useState<string | undefined>();
  const link = useMutation(trpc.visits.linkPatient.mutationOptions());
  const labels = { nationalId: t('visits.intake.nationalId') };
  const serverErrors = fieldErrorMessages(link.error, labels);

  if (patientId) {
    return (
      <section aria-labelledby={`link-${bookingId}`}>
        <Title order={3} size="h5" id={`link-${bookingId}`} mb="xs">
          {t('visits.link.title')}
        </Title>
        <Text size="sm" data-testid="patient-linked">
          {t('visits.link.linked')}
        </Text>
      </section>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = nationalIdentityNumberSchema({ allowSynthetic: true }).safeParse(number.trim());
    if (!parsed.success) {
      setClientError(issueMessages(parsed.error.issues, { '': labels.nationalId })[''] ?? t('validation.required', { field: labels.nationalId }));
      return;
    }
    link.mutate(
      { bookingId, nationalId: parsed.data },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'teal', message: result.isNewPatient ? t('visits.link.created') : t('visits.link.found') });
          changed();
          onLinked?.(result.patientId);
        },
      },
    );
  };
  const general = serverErrors[''] ?? (link.error && !serverErrors.nationalId ? visitErrorText(link.error) : undefined);
  return (
    <section aria-labelledby={`link-${bookingId}`}>
      <Title order={3} size="h5" id={`link-${bookingId}`} mb="xs">
        {t('visits.link.title')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('visits.link.intro')}
          </Text>
          <Group gap="xs" align="flex-start">
            <TextInput
              label={labels.nationalId}
              value={number}
              inputMode="numeric"
              autoComplete="off"
              onChange={(event) => {
                setNumber(event.currentTarget.value);
                setClientError(undefined);
                link.reset();
              }}
              error={clientError ?? serverErrors.nationalId}
            />
            <Button type="submit" mt={25} loading={link.isPending}>
              {t('visits.link.submit')}
            </Button>
          </Group>
          {general && (
            <Alert color="red" role="alert">
              {general}
            </Alert>
          )}
        </Stack>
      </form>
    </section>
  );
}

/** VIS-4: a hold (complaint, incident, a data subject's request) keeps the booking from being anonymised. */
function RetentionHoldForm({ bookingId, hold }: { bookingId: string; hold: RetentionHold | null }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useVisitsChanged();
  const [value, setValue] = useState<string>(hold ?? '');
  const save = useMutation(trpc.visits.setRetentionHold.mutationOptions());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = (RETENTION_HOLDS as readonly string[]).includes(value) ? (value as RetentionHold) : null;
    save.mutate(
      { bookingId, hold: next },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: next ? t('visits.hold.set') : t('visits.hold.lifted') });
          changed();
        },
      },
    );
  };
  return (
    <section aria-labelledby={`hold-${bookingId}`}>
      <Title order={3} size="h5" id={`hold-${bookingId}`} mb="xs">
        {t('visits.hold.title')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Text size="sm" c="dimmed">
            {t('visits.hold.intro')}
          </Text>
          <Group gap="xs" align="flex-end">
            <NativeSelect
              label={t('visits.hold.label')}
              value={value}
              onChange={(event) => {
                setValue(event.currentTarget.value);
                save.reset();
              }}
              data={[{ value: '', label: t('visits.hold.none') }, ...RETENTION_HOLDS.map((code) => ({ value: code, label: t(`visits.retentionHolds.${code}`) }))]}
            />
            <Button type="submit" variant="light" disabled={value === (hold ?? '')} loading={save.isPending}>
              {t('visits.hold.save')}
            </Button>
          </Group>
          {save.error && (
            <Alert color="red" role="alert">
              {visitErrorText(save.error)}
            </Alert>
          )}
        </Stack>
      </form>
    </section>
  );
}
