import { Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CANCEL_REASONS, type CancelReason } from '../../../../shared/visit-schemas';
import { fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import type { BoardBooking } from './types';
import { useConflictHandler } from './use-conflict';
import { VisitFormFooter } from './VisitFormFooter';

/** VIS-3: a cancellation always has a reason code (never free text: the timeline keeps it for years). */
export function CancelModal({ booking, onClose }: { booking: Pick<BoardBooking, 'id' | 'version' | 'fullName'> | null; onClose: () => void }) {
  return booking ? <CancelForm key={booking.id} booking={booking} onClose={onClose} /> : null;
}

function CancelForm({ booking, onClose }: { booking: Pick<BoardBooking, 'id' | 'version' | 'fullName'>; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const onConflict = useConflictHandler(onClose);
  const [reason, setReason] = useState<CancelReason | ''>('');
  const [clientError, setClientError] = useState<string | undefined>();
  const cancel = useMutation(trpc.visits.cancel.mutationOptions());
  const labels = { reason: t('visits.cancel.reason') };
  const serverErrors = fieldErrorMessages(cancel.error, labels);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason === '') {
      setClientError(t('validation.required', { field: labels.reason }));
      return;
    }
    cancel.mutate(
      { bookingId: booking.id, version: booking.version, reason },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('visits.cancel.done') });
          onClose();
        },
        onError: onConflict,
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('visits.cancel.title')} closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="cancel-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('visits.cancel.intro', { name: booking.fullName ?? t('visits.board.anonymised') })}</Text>
          <NativeSelect
            label={labels.reason}
            required
            value={reason}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setReason((CANCEL_REASONS as readonly string[]).includes(value) ? (value as CancelReason) : '');
              setClientError(undefined);
              cancel.reset();
            }}
            data={[{ value: '', label: t('visits.intake.choose') }, ...CANCEL_REASONS.map((value) => ({ value, label: t(`visits.cancelReasons.${value}`) }))]}
            error={clientError ?? serverErrors.reason}
          />
          <VisitFormFooter errors={serverErrors} error={cancel.error} isPending={cancel.isPending} submitLabel={t('visits.cancel.submit')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
