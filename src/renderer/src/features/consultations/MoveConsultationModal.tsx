import { Modal, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { moveConsultationSchema } from '../../../../shared/consultation-schemas';
import { fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import type { CalendarEntry } from './entry-text';
import { FormFooter, useConsultationChanged } from './form-parts';
import { readWhen, useWhenForm, whenFormAt } from './when-fields';
import { WhenFields } from './WhenFields';

/** JRN-6: give a consultation a new start or length; an hour already taken is refused on the time. */
export function MoveConsultationModal({ entry, onClose }: { entry: CalendarEntry; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useConsultationChanged();
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
        changed(t('consultations.moveModal.moved'));
        onClose();
      },
    });
  };

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
          <FormFooter errors={serverErrors} error={move.error} isPending={move.isPending} submitLabel={t('consultations.moveModal.submit')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
