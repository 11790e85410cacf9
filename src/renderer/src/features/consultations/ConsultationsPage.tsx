import { Alert, Button, Card, Group, Loader, NativeSelect, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CALENDAR_VIEWS } from '../../../../shared/consultation-schemas';
import { formatCalendarDate } from '../../lib/format';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { addDays, osloToday } from '../journal/dates';
import { ClinicianOnly } from '../shared/ClinicianOnly';
import { ConfirmModal } from '../shared/ConfirmModal';
import { BookConsultationModal } from './BookConsultationModal';
import { type CalendarEntry, timeSpanOf } from './entry-text';
import { EntryKind } from './EntryKind';
import { EntryPatient } from './EntryPatient';
import { useConsultationChanged } from './form-parts';
import { MoveConsultationModal } from './MoveConsultationModal';

type View = (typeof CALENDAR_VIEWS)[number];

/** JRN-6: a clinician's consultations and home visits by day or week; book, move and cancel. */
export function ConsultationsPage() {
  const { t } = useTranslation();
  return (
    <ClinicianOnly title={t('consultations.title')} message={t('consultations.noAccess')}>
      <Calendar />
    </ClinicianOnly>
  );
}

function Calendar() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useConsultationChanged();
  const [view, setView] = useState<View>('day');
  const [date, setDate] = useState(() => osloToday());
  /** '' is the caller's own calendar. */
  const [clinicianId, setClinicianId] = useState('');
  const [isBooking, setIsBooking] = useState(false);
  const [moving, setMoving] = useState<CalendarEntry | null>(null);
  const [cancelling, setCancelling] = useState<CalendarEntry | null>(null);
  const colleagues = useQuery(trpc.access.colleagues.queryOptions(undefined, { staleTime: 60_000 }));
  const calendar = useQuery(trpc.consultations.calendar.queryOptions({ date, view, ...(clinicianId ? { clinicianId } : {}) }, { staleTime: 0 }));
  const cancel = useMutation(trpc.consultations.cancel.mutationOptions());

  const step = view === 'day' ? 1 : 7;
  const closeCancel = () => {
    setCancelling(null);
    cancel.reset();
  };
  const confirmCancel = () => {
    if (!cancelling) return;
    cancel.mutate(
      { consultationId: cancelling.id },
      {
        onSuccess: () => {
          changed(t('consultations.cancelConfirm.cancelled'));
          closeCancel();
        },
      },
    );
  };
  const actions = { onMove: setMoving, onCancel: setCancelling };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('consultations.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('consultations.description')}
          </Text>
        </div>
        <Button onClick={() => setIsBooking(true)}>{t('consultations.book')}</Button>
      </Group>
      <Group gap="sm" align="flex-end">
        <SegmentedControl
          aria-label={t('consultations.view.label')}
          value={view}
          onChange={(value) => setView(value === 'week' ? 'week' : 'day')}
          data={[
            { value: 'day', label: t('consultations.view.day') },
            { value: 'week', label: t('consultations.view.week') },
          ]}
        />
        <Button.Group>
          <Button variant="default" onClick={() => setDate((current) => addDays(current, -step))}>
            {t('consultations.previous')}
          </Button>
          <Button variant="default" onClick={() => setDate(osloToday())}>
            {t('consultations.today')}
          </Button>
          <Button variant="default" onClick={() => setDate((current) => addDays(current, step))}>
            {t('consultations.next')}
          </Button>
        </Button.Group>
        <NativeSelect
          label={t('consultations.clinician')}
          value={clinicianId}
          onChange={(event) => setClinicianId(event.currentTarget.value)}
          data={[{ value: '', label: t('consultations.me') }, ...(colleagues.data ?? []).map((colleague) => ({ value: colleague.id, label: colleague.displayName }))]}
        />
      </Group>
      {calendar.isError && (
        <Alert color="red" role="alert">
          {errorText(calendar.error)}
        </Alert>
      )}
      {!calendar.data && !calendar.isError && <Loader size="sm" />}
      {calendar.data && (
        <section aria-label={t('consultations.calendarLabel', { from: formatCalendarDate(calendar.data.from), to: formatCalendarDate(addDays(calendar.data.to, -1)) })} data-testid="calendar">
          {view === 'day' ? (
            <DayTable day={calendar.data.from} entries={calendar.data.entries} {...actions} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 7 }} spacing="xs">
              {Array.from({ length: 7 }, (_, index) => addDays(calendar.data.from, index)).map((day) => (
                <Card key={day} withBorder padding="xs">
                  <Text fw={600} size="sm" mb={4}>
                    {formatCalendarDate(day)}
                  </Text>
                  <DayList entries={calendar.data.entries.filter((entry) => osloToday(new Date(entry.startsAt)) === day)} {...actions} />
                </Card>
              ))}
            </SimpleGrid>
          )}
        </section>
      )}
      <BookConsultationModal opened={isBooking} clinicianId={clinicianId || undefined} date={date} onClose={() => setIsBooking(false)} />
      {moving && <MoveConsultationModal key={moving.id} entry={moving} onClose={() => setMoving(null)} />}
      <ConfirmModal
        opened={cancelling !== null}
        title={t('consultations.cancelConfirm.title')}
        body={t('consultations.cancelConfirm.body')}
        actionLabel={t('consultations.cancelConfirm.action')}
        cancelLabel={t('consultations.cancelConfirm.keep')}
        errorMessage={cancel.error ? errorText(cancel.error) : undefined}
        isPending={cancel.isPending}
        isDestructive
        testId="cancel-consultation"
        onCancel={closeCancel}
        onConfirm={confirmCancel}
      />
    </Stack>
  );
}

interface EntryActions {
  onMove: (entry: CalendarEntry) => void;
  onCancel: (entry: CalendarEntry) => void;
}

/** Move and cancel, for a booked consultation (home visits belong to dispatch). */
function EntryButtons({ entry, onMove, onCancel }: EntryActions & { entry: CalendarEntry }) {
  const { t } = useTranslation();
  if (entry.kind !== 'consultation' || entry.status !== 'booked') return null;
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="compact-xs" variant="default" onClick={() => onMove(entry)}>
        {t('consultations.move')}
      </Button>
      <Button size="compact-xs" variant="default" color="red" onClick={() => onCancel(entry)}>
        {t('consultations.cancel')}
      </Button>
    </Group>
  );
}

function DayTable({ day, entries, ...actions }: EntryActions & { day: string; entries: CalendarEntry[] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        {formatCalendarDate(day)}
      </Text>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('consultations.empty')}
        </Text>
      ) : (
        <Table data-testid="calendar-day">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('start.appointments.time')}</Table.Th>
              <Table.Th>{t('start.appointments.patient')}</Table.Th>
              <Table.Th>{t('start.appointments.kind')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.id} data-testid="calendar-entry">
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{timeSpanOf(entry)}</Table.Td>
                <Table.Td>
                  <EntryPatient patient={entry.patient} />
                </Table.Td>
                <Table.Td>
                  <EntryKind entry={entry} />
                </Table.Td>
                <Table.Td>
                  <EntryButtons entry={entry} {...actions} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}

function DayList({ entries, ...actions }: EntryActions & { entries: CalendarEntry[] }) {
  const { t } = useTranslation();
  if (entries.length === 0) {
    return (
      <Text size="xs" c="dimmed">
        {t('consultations.empty')}
      </Text>
    );
  }
  return (
    <Stack gap={6}>
      {entries.map((entry) => (
        <Stack key={entry.id} gap={2} data-testid="calendar-entry">
          <Text size="xs" fw={600}>
            {timeSpanOf(entry)}
          </Text>
          <EntryPatient patient={entry.patient} />
          <Text size="xs" c="dimmed">
            <EntryKind entry={entry} />
          </Text>
          <EntryButtons entry={entry} {...actions} />
        </Stack>
      ))}
    </Stack>
  );
}
