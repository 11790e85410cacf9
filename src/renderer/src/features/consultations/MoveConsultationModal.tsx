import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { moveConsultationSchema } from '../../../../shared/consultation-schemas';
import { errorText, fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import type { CalendarEntry } from './entry-text';
import { readWhen, useWhenForm, whenFormAt } from './when-fields';
import { WhenFields } from './WhenFields';

/** JRN-6: give a consultation a new start or length; an hour already taken is refused on the time. */
export function MoveConsultationModal({ entry, onClose }: { entry: CalendarEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const when = useWhenForm(() => whenFormAt(entry.startsAt, entry.durationMinutes));
  const move = useMutation(trpc.consultations.move.mutationOptions());
  const labels = { startsAt: t('consultations.time'), durationMinutes: t('consultations.bookModal.length'), date: t('consultations.date'), time: t('consultations.time') };
  const serverErrors = fieldErrorMessages(move.error, labels);
  const errors: Record<string, string | undefined> = { ...serverErrors, ...when.clientErrors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    move.reset();
    const read = readWhen(when.form, labels);
    if ('errors' in read) {
      when.setClientErrors(read.errors);
      return;
    }
    const parsed = moveConsultationSchema.safeParse({ consultationId: entry.id, ...read });
    if (!parsed.success) {
      when.setClientErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    move.mutate(parsed.data, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('consultations.moveModal.moved') });
        void queryClient.invalidateQueries({ queryKey: trpc.consultations.calendar.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.start.today.queryKey() });
        onClose();
      },
    });
  };

  const hasFieldErrors = Object.keys(serverErrors).some((key) => key !== '');

  return (
    <Modal opened onClose={onClose} title={t('consultations.moveModal.title')} size="lg" data-testid="move-consultation">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <WhenFields
            form={when.form}
            errors={errors}
            onChange={(key, value) => {
              when.set(key, value);
              move.reset();
            }}
          />
          {(errors[''] || (move.error && !hasFieldErrors)) && (
            <Alert color="red" role="alert">
              {errors[''] ?? errorText(move.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={move.isPending}>
              {t('consultations.moveModal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
