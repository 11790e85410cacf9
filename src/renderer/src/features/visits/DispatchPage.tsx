import { Alert, Anchor, Badge, Button, Checkbox, Group, Loader, NativeSelect, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BOOKING_STATUS_CODES, type BookingStatusCode } from '../../../../shared/visit-schemas';
import { formatDateTime } from '../../lib/format';
import { translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { addDays, osloToday, parseDateInput, toDateInput } from '../journal/dates';
import { AssignModal } from './AssignModal';
import { BookingDrawer } from './BookingDrawer';
import { CancelModal } from './CancelModal';
import { DoctorsPanel, doctorOptions } from './DoctorsPanel';
import { ExceptionsPanel } from './ExceptionsPanel';
import { IntakeModal } from './IntakeModal';
import type { BoardBooking, DoctorOnShift } from './types';
import { useConflictHandler } from './use-conflict';
import { useVisitsChanged } from './use-visits-changed';
import { FALLBACK_REFETCH_MS, useVisitsLive } from './use-visits-live';
import { AttentionBadge, UrgencyBadge } from './VisitBadges';
import { isBookingChanged, visitErrorText } from './visit-errors';
import { formatOnDay, formatWindow, minutesBetween, useNow } from './visit-time';

/** The sections shown folded until opened: the day's finished work. */
const FOLDED: ReadonlySet<BookingStatusCode> = new Set(['completed', 'cancelled']);

/** Urgent first, then by the start of the wanted window (VIS-3), then by arrival. */
function byUrgencyAndWindow(a: BoardBooking, b: BoardBooking): number {
  if (a.urgency !== b.urgency) return a.urgency === 'urgent' ? -1 : 1;
  return a.earliestAt.localeCompare(b.earliestAt) || a.createdAt.localeCompare(b.createdAt);
}

/**
 * VIS-3: the coordinators' dispatch board for one day. Bookings by status, urgent first; the
 * doctors on shift with their load; assign, reassign, unassign, cancel, bulk-assign and take a
 * booking by phone. The board follows changes live (or refetches every 10 s while it cannot).
 */
export function DispatchPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [day, setDay] = useState(() => osloToday());
  const [dayInput, setDayInput] = useState(() => toDateInput(osloToday()));
  const [dayError, setDayError] = useState<string | undefined>();
  const changed = useVisitsChanged();
  const live = useVisitsLive();
  // Always fresh (each read is logged anyway); polled only while the live channel is down.
  const board = useQuery(trpc.visits.board.queryOptions({ date: day }, { staleTime: 0, refetchInterval: live.isLive ? false : FALLBACK_REFETCH_MS }));
  const [isIntakeOpen, setIsIntakeOpen] = useState(false);
  const [assigning, setAssigning] = useState<BoardBooking | null>(null);
  const [cancelling, setCancelling] = useState<BoardBooking | null>(null);
  const [openBookingId, setOpenBookingId] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());

  const goTo = (next: string) => {
    setDay(next);
    setDayInput(toDateInput(next));
    setDayError(undefined);
    setSelected(new Set());
  };
  const submitDay = (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseDateInput(dayInput);
    if (parsed) goTo(parsed);
    else setDayError(translateCode('validation.date', { field: t('visits.board.day') }));
  };

  const bookings = useMemo(() => board.data?.bookings ?? [], [board.data]);
  const doctors = board.data?.doctors ?? [];
  const byStatus = useMemo(() => {
    const groups = new Map<string, BoardBooking[]>(BOOKING_STATUS_CODES.map((status) => [status, []]));
    for (const booking of bookings) groups.get(booking.status)?.push(booking);
    for (const group of groups.values()) group.sort(byUrgencyAndWindow);
    return groups;
  }, [bookings]);
  // Only what is still requested and shown can be selected for a bulk assignment.
  const requested = byStatus.get('requested') ?? [];
  const selectedBookings = requested.filter((booking) => selected.has(booking.id));
  const toggle = useCallback((id: string) => {
    setSelected((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }, []);

  return (
    <Stack gap="md" data-testid="dispatch-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('visits.board.title')}</Title>
          <Text c="dimmed" size="sm" data-testid="live-state" data-live={live.isLive}>
            {live.isLive ? t('visits.board.live') : t('visits.board.polling', { seconds: FALLBACK_REFETCH_MS / 1000 })}
          </Text>
        </div>
        <Button onClick={() => setIsIntakeOpen(true)} data-testid="new-booking">
          {t('visits.board.newBooking')}
        </Button>
      </Group>

      <form onSubmit={submitDay} noValidate aria-label={t('visits.board.dayNavigation')}>
        <Group gap="xs" align="flex-end">
          <Button variant="default" onClick={() => goTo(addDays(day, -1))}>
            {t('visits.board.previousDay')}
          </Button>
          <TextInput label={t('visits.board.day')} value={dayInput} onChange={(event) => setDayInput(event.currentTarget.value)} error={dayError} placeholder={t('journal.datePlaceholder')} w={140} autoComplete="off" />
          <Button type="submit" variant="default">
            {t('visits.board.show')}
          </Button>
          <Button variant="default" onClick={() => goTo(addDays(day, 1))}>
            {t('visits.board.nextDay')}
          </Button>
          {day !== osloToday() && (
            <Button variant="subtle" onClick={() => goTo(osloToday())}>
              {t('visits.board.today')}
            </Button>
          )}
        </Group>
      </form>

      {board.isError && (
        <Alert color="red" role="alert">
          {visitErrorText(board.error)}
        </Alert>
      )}
      {!board.data && !board.isError && <Loader size="sm" />}

      {board.data && (
        <>
          {/* The doctors first: whom there is to send decides the work on the board below. */}
          <DoctorsPanel doctors={doctors} />
          <BulkAssignBar bookings={selectedBookings} doctors={doctors} onDone={() => setSelected(new Set())} />
          {BOOKING_STATUS_CODES.map((status) => (
            <BoardSection
              key={status}
              status={status}
              bookings={byStatus.get(status) ?? []}
              day={day}
              selected={selected}
              onToggle={toggle}
              onOpen={setOpenBookingId}
              onAssign={setAssigning}
              onCancel={setCancelling}
            />
          ))}
          <ExceptionsPanel day={day} onOpen={setOpenBookingId} refetchInterval={live.isLive ? false : FALLBACK_REFETCH_MS} />
        </>
      )}

      {/* Mounted per opening: a fresh form, wanted time and idempotency key each time (VIS-1). */}
      {isIntakeOpen && <IntakeModal opened day={day} onClose={() => setIsIntakeOpen(false)} onCreated={changed} />}
      <AssignModal booking={assigning} doctors={doctors} onClose={() => setAssigning(null)} />
      <CancelModal booking={cancelling} onClose={() => setCancelling(null)} />
      <BookingDrawer bookingId={openBookingId} onClose={() => setOpenBookingId(null)} />
    </Stack>
  );
}

interface SectionProps {
  status: BookingStatusCode;
  bookings: readonly BoardBooking[];
  day: string;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
  onAssign: (booking: BoardBooking) => void;
  onCancel: (booking: BoardBooking) => void;
}

/** One status of the board: a titled table, folded for the day's finished work. */
function BoardSection({ status, bookings, day, selected, onToggle, onOpen, onAssign, onCancel }: SectionProps) {
  const { t } = useTranslation();
  const [isOpen, setIsOpen] = useState(!FOLDED.has(status));
  const now = useNow();
  const headingId = `dispatch-${status}`;
  const isSelectable = status === 'requested';
  return (
    <section aria-labelledby={headingId} data-testid={`board-${status}`}>
      <Group gap="xs" mb={4}>
        <Title order={3} size="h4" id={headingId}>
          {t(`visits.status.${status}`)}
        </Title>
        <Badge variant="light" color="gray" size="sm" aria-label={t('visits.board.count', { count: bookings.length })}>
          {bookings.length}
        </Badge>
        {FOLDED.has(status) && (
          <Button variant="subtle" size="compact-sm" onClick={() => setIsOpen((open) => !open)} aria-expanded={isOpen} aria-controls={`${headingId}-table`}>
            {isOpen ? t('visits.board.hide') : t('visits.board.showSection')}
          </Button>
        )}
      </Group>
      {isOpen &&
        (bookings.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('visits.board.empty')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table id={`${headingId}-table`} aria-labelledby={headingId} verticalSpacing={6}>
              <Table.Thead>
                <Table.Tr>
                  {isSelectable && (
                    <Table.Th>
                      <VisuallyHidden>{t('visits.board.select')}</VisuallyHidden>
                    </Table.Th>
                  )}
                  <Table.Th>{t('visits.board.urgency')}</Table.Th>
                  <Table.Th>{t('visits.board.name')}</Table.Th>
                  <Table.Th>{t('visits.board.place')}</Table.Th>
                  <Table.Th>{t('visits.board.window')}</Table.Th>
                  <Table.Th>{t('visits.board.elapsed')}</Table.Th>
                  <Table.Th>{t('visits.board.doctor')}</Table.Th>
                  <Table.Th>{t('visits.board.eta')}</Table.Th>
                  <Table.Th>{t('visits.board.notes')}</Table.Th>
                  <Table.Th>{t('visits.board.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {bookings.map((booking) => (
                  <BookingRow
                    key={booking.id}
                    booking={booking}
                    day={day}
                    now={now}
                    isSelectable={isSelectable}
                    isSelected={selected.has(booking.id)}
                    onToggle={onToggle}
                    onOpen={onOpen}
                    onAssign={onAssign}
                    onCancel={onCancel}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        ))}
    </section>
  );
}

interface RowProps {
  booking: BoardBooking;
  day: string;
  now: Date;
  isSelectable: boolean;
  isSelected: boolean;
  onToggle: (id: string) => void;
  onOpen: (id: string) => void;
  onAssign: (booking: BoardBooking) => void;
  onCancel: (booking: BoardBooking) => void;
}

/** Elapsed minutes as "35 min" or "2 t 05 min". */
function useElapsedText(): (minutes: number) => string {
  const { t } = useTranslation();
  return (minutes) => (minutes < 60 ? t('visits.board.minutes', { minutes }) : t('visits.board.hoursMinutes', { hours: Math.floor(minutes / 60), minutes: String(minutes % 60).padStart(2, '0') }));
}

function BookingRow({ booking, day, now, isSelectable, isSelected, onToggle, onOpen, onAssign, onCancel }: RowProps) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const onConflict = useConflictHandler();
  const elapsedText = useElapsedText();
  const unassign = useMutation(trpc.visits.unassign.mutationOptions());
  const name = booking.fullName ?? t('visits.board.anonymised');
  const isOpenStatus = booking.status !== 'completed' && booking.status !== 'cancelled';
  const place = [booking.postcode && booking.city ? `${booking.postcode} ${booking.city}` : (booking.postcode ?? booking.city), booking.zoneName].filter(Boolean).join(' · ');

  const doUnassign = () =>
    unassign.mutate(
      { bookingId: booking.id, version: booking.version },
      {
        onSuccess: () => notifications.show({ color: 'teal', message: t('visits.unassign.done') }),
        onError: (error) => {
          if (isBookingChanged(error)) onConflict(error);
          else notifications.show({ color: 'red', message: visitErrorText(error) });
        },
      },
    );

  return (
    <Table.Tr data-testid="board-booking" data-booking-id={booking.id} data-status={booking.status}>
      {isSelectable && (
        <Table.Td>
          <Checkbox checked={isSelected} onChange={() => onToggle(booking.id)} aria-label={t('visits.board.selectBooking', { name })} />
        </Table.Td>
      )}
      <Table.Td>
        <UrgencyBadge urgency={booking.urgency} />
      </Table.Td>
      <Table.Td>
        <Anchor component="button" type="button" size="sm" onClick={() => onOpen(booking.id)} title={t('visits.board.openBooking')}>
          {name}
        </Anchor>
      </Table.Td>
      <Table.Td>{place || '–'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatWindow(booking.earliestAt, booking.latestAt, day)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }} title={formatDateTime(booking.createdAt)}>
        {isOpenStatus ? elapsedText(minutesBetween(booking.createdAt, now)) : '–'}
      </Table.Td>
      <Table.Td>{booking.doctor?.name ?? '–'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{booking.eta ? formatOnDay(booking.eta, day) : '–'}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          {booking.needsAttention && <AttentionBadge />}
          {booking.exceptionCount > 0 && (
            <Badge color="orange" variant="light" size="sm">
              {t('visits.board.exceptionCount', { count: booking.exceptionCount })}
            </Badge>
          )}
          {booking.status === 'assigned' && booking.acceptedAt !== null && (
            <Badge color="teal" variant="light" size="sm">
              {t('visits.board.accepted')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap">
          {(booking.status === 'requested' || booking.status === 'assigned') && (
            <Button size="compact-xs" variant="light" onClick={() => onAssign(booking)}>
              {booking.status === 'requested' ? t('visits.board.assign') : t('visits.board.reassign')}
            </Button>
          )}
          {booking.status === 'assigned' && (
            <Button size="compact-xs" variant="default" onClick={doUnassign} loading={unassign.isPending}>
              {t('visits.board.unassign')}
            </Button>
          )}
          {isOpenStatus && (
            <Button size="compact-xs" variant="subtle" color="red" onClick={() => onCancel(booking)}>
              {t('visits.board.cancel')}
            </Button>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

/** VIS-3: the selected requested bookings to one doctor, in one call: all are assigned or none. */
function BulkAssignBar({ bookings, doctors, onDone }: { bookings: readonly BoardBooking[]; doctors: readonly DoctorOnShift[]; onDone: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const onConflict = useConflictHandler(onDone);
  const [doctorId, setDoctorId] = useState('');
  const bulk = useMutation(trpc.visits.bulkAssign.mutationOptions());
  if (bookings.length === 0) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (doctorId === '') return;
    bulk.mutate(
      { assignments: bookings.map((booking) => ({ bookingId: booking.id, doctorId, version: booking.version })) },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('visits.bulk.done', { count: bookings.length }) });
          setDoctorId('');
          onDone();
        },
        onError: onConflict,
      },
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label={t('visits.bulk.label')} data-testid="bulk-assign">
      <Group gap="sm" align="flex-end">
        <Text size="sm" fw={600}>
          {t('visits.bulk.selected', { count: bookings.length })}
        </Text>
        <NativeSelect
          label={t('visits.assign.doctor')}
          value={doctorId}
          onChange={(event) => {
            setDoctorId(event.currentTarget.value);
            bulk.reset();
          }}
          data={[{ value: '', label: t('visits.intake.choose') }, ...doctorOptions(doctors, (doctor) => t('visits.assign.option', { name: doctor.name, load: doctor.load, cap: doctor.cap }))]}
        />
        <Button type="submit" disabled={doctorId === ''} loading={bulk.isPending}>
          {t('visits.bulk.submit')}
        </Button>
        <Button variant="subtle" onClick={onDone}>
          {t('visits.bulk.clear')}
        </Button>
      </Group>
      {bulk.error && (
        <Alert color="red" role="alert" mt="xs">
          {visitErrorText(bulk.error)}
        </Alert>
      )}
    </form>
  );
}
