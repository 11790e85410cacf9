import { Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookConsultationSchema, CONSULTATION_MINUTES, CONSULTATION_MODES, type ConsultationModeCode } from '../../../../shared/consultation-schemas';
import { fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { toDateInput } from '../journal/dates';
import { FormFooter, useConsultationChanged } from './form-parts';
import { type PickedPatient, PatientPicker } from './PatientPicker';
import { readWhen, useWhenForm } from './when-fields';
import { WhenFields } from './WhenFields';

/**
 * JRN-6: book a consultation with the clinician whose calendar is shown (the caller, or a
 * colleague). The server admits only patients the caller is treating (docs/adr/0009) and refuses
 * an hour the clinician is already booked, naming the time.
 */
export function BookConsultationModal({ opened, clinicianId, date, onClose }: { opened: boolean; clinicianId: string | undefined; date: string; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const changed = useConsultationChanged();
  const [patient, setPatient] = useState<PickedPatient | null>(null);
  const [mode, setMode] = useState<ConsultationModeCode>('in_person');
  const when = useWhenForm(() => ({ date: toDateInput(date), time: '', durationMinutes: String(CONSULTATION_MINUTES.default) }));
  const book = useMutation(trpc.consultations.book.mutationOptions());

  const labels = {
    patientId: t('consultations.bookModal.patient'),
    clinicianId: t('consultations.clinician'),
    startsAt: t('consultations.time'),
    durationMinutes: t('consultations.bookModal.length'),
    mode: t('consultations.bookModal.mode'),
    date: t('consultations.date'),
    time: t('consultations.time'),
  };
  const serverErrors = fieldErrorMessages(book.error, labels);
  const errors: Record<string, string | undefined> = { ...serverErrors, ...when.clientErrors };

  const close = () => {
    setPatient(null);
    setMode('in_person');
    when.setForm({ date: toDateInput(date), time: '', durationMinutes: String(CONSULTATION_MINUTES.default) });
    when.setClientErrors({});
    book.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    book.reset();
    const read = readWhen(when.form, labels);
    const clientErrors = 'errors' in read ? read.errors : {};
    const parsed = bookConsultationSchema.safeParse({ patientId: patient?.id, clinicianId, mode, ...('errors' in read ? {} : read) });
    const issues = parsed.success ? {} : issueMessages(parsed.error.issues.filter((issue) => !('errors' in read && issue.path[0] === 'startsAt')), labels);
    if (!patient) issues.patientId = t('validation.required', { field: labels.patientId });
    if (!parsed.success || 'errors' in read) {
      when.setClientErrors({ ...issues, ...clientErrors });
      return;
    }
    when.setClientErrors({});
    book.mutate(parsed.data, {
      onSuccess: () => {
        changed(t('consultations.bookModal.booked'));
        close();
      },
    });
  };

  return (
    <Modal opened={opened} onClose={close} title={t('consultations.bookModal.title')} size="lg" data-testid="book-consultation">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('consultations.bookModal.intro')}
        </Text>
        <PatientPicker
          picked={patient}
          onPick={(picked) => {
            setPatient(picked);
            when.setClientErrors(({ patientId: _dropped, ...rest }) => rest);
            book.reset();
          }}
          error={errors.patientId}
        />
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <WhenFields
              form={when.form}
              errors={errors}
              onChange={(key, value) => {
                when.set(key, value);
                book.reset();
              }}
            />
            <NativeSelect
              label={labels.mode}
              value={mode}
              onChange={(event) => setMode((CONSULTATION_MODES as readonly string[]).includes(event.currentTarget.value) ? (event.currentTarget.value as ConsultationModeCode) : 'in_person')}
              data={CONSULTATION_MODES.map((value) => ({ value, label: t(`consultations.modes.${value}`) }))}
              error={errors.mode}
            />
            <FormFooter errors={serverErrors} error={book.error} isPending={book.isPending} submitLabel={t('consultations.bookModal.submit')} onCancel={close} />
          </Stack>
        </form>
      </Stack>
    </Modal>
  );
}
