import { Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { doctorOptions } from './DoctorsPanel';
import type { BoardBooking, DoctorOnShift } from './types';
import { useConflictHandler } from './use-conflict';
import { VisitFormFooter } from './VisitFormFooter';

/** VIS-3: assign a doctor on shift to a booking, or another one (a reassignment). */
export function AssignModal({ booking, doctors, onClose }: { booking: BoardBooking | null; doctors: readonly DoctorOnShift[]; onClose: () => void }) {
  return booking ? <AssignForm key={booking.id} booking={booking} doctors={doctors} onClose={onClose} /> : null;
}

function AssignForm({ booking, doctors, onClose }: { booking: BoardBooking; doctors: readonly DoctorOnShift[]; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const onConflict = useConflictHandler(onClose);
  const [doctorId, setDoctorId] = useState('');
  const assign = useMutation(trpc.visits.assign.mutationOptions());
  const labels = { doctorId: t('visits.assign.doctor') };
  const serverErrors = fieldErrorMessages(assign.error, labels);
  const [clientError, setClientError] = useState<string | undefined>();
  const isReassign = booking.doctor !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (doctorId === '') {
      setClientError(t('validation.required', { field: labels.doctorId }));
      return;
    }
    assign.mutate(
      { bookingId: booking.id, doctorId, version: booking.version },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('visits.assign.done') });
          onClose();
        },
        onError: onConflict,
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={isReassign ? t('visits.assign.reassignTitle') : t('visits.assign.title')} closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="assign-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('visits.assign.intro', { name: booking.fullName ?? t('visits.board.anonymised') })}</Text>
          <NativeSelect
            label={labels.doctorId}
            required
            value={doctorId}
            onChange={(event) => {
              setDoctorId(event.currentTarget.value);
              setClientError(undefined);
              assign.reset();
            }}
            data={[
              { value: '', label: t('visits.intake.choose') },
              ...doctorOptions(
                doctors.filter((doctor) => doctor.id !== booking.doctor?.id),
                (doctor) => t('visits.assign.option', { name: doctor.name, load: doctor.load, cap: doctor.cap }),
              ),
            ]}
            error={clientError ?? serverErrors.doctorId}
          />
          <VisitFormFooter
            errors={serverErrors}
            error={assign.error}
            isPending={assign.isPending}
            submitLabel={isReassign ? t('visits.assign.reassign') : t('visits.assign.submit')}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
