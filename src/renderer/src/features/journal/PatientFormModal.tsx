import { Alert, Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseNationalIdentityNumber } from '../../../../shared/national-identity-number';
import { GENDERS, patientDetailsSchema } from '../../../../shared/patient-schemas';
import { errorText, fieldErrorMessages, issueMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { parseDateInput, toDateInput } from './dates';
import type { PatientDetails } from './types';

type Gender = (typeof GENDERS)[number];
type Form = { nationalId: string; givenName: string; familyName: string; dateOfBirth: string; gender: Gender | ''; address: string; phone: string; email: string; nextOfKin: string };

const EMPTY: Form = { nationalId: '', givenName: '', familyName: '', dateOfBirth: '', gender: '', address: '', phone: '', email: '', nextOfKin: '' };

function formOf(patient: PatientDetails | undefined): Form {
  if (!patient) return EMPTY;
  return {
    nationalId: patient.nationalId,
    givenName: patient.givenName,
    familyName: patient.familyName,
    dateOfBirth: toDateInput(patient.dateOfBirth),
    gender: (GENDERS as readonly string[]).includes(patient.gender) ? (patient.gender as Gender) : '',
    address: patient.address ?? '',
    phone: patient.phone ?? '',
    email: patient.email ?? '',
    nextOfKin: patient.nextOfKin ?? '',
  };
}

/**
 * JRN-1: register a patient, or correct their details. Checked before sending with the schema the
 * server uses (the national identity number's two mod-11 digits included); the server's own field
 * errors (a number already registered …) appear beside their fields.
 */
export function PatientFormModal({ opened, onClose, onSaved, patient }: { opened: boolean; onClose: () => void; onSaved: (patientId: string) => void; patient?: PatientDetails }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(patient));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const register = useMutation(trpc.patients.register.mutationOptions());
  const update = useMutation(trpc.patients.update.mutationOptions());
  const mutation = patient ? update : register;

  const labels = {
    nationalId: t('journal.patient.nationalId'),
    givenName: t('journal.patient.givenName'),
    familyName: t('journal.patient.familyName'),
    dateOfBirth: t('journal.patient.dateOfBirth'),
    gender: t('journal.patient.gender'),
    address: t('journal.patient.address'),
    phone: t('journal.patient.phone'),
    email: t('journal.patient.email'),
    nextOfKin: t('journal.patient.nextOfKin'),
  };
  // The update's fields sit under `details.`; the form shows them by their own names.
  const serverErrors = fieldErrorMessages(mutation.error, { ...labels, ...Object.fromEntries(Object.entries(labels).map(([key, value]) => [`details.${key}`, value])) });
  for (const key of Object.keys(labels)) {
    const nested = serverErrors[`details.${key}`];
    if (nested) serverErrors[key] = nested;
  }
  const errors: Record<string, string | undefined> = { ...serverErrors, ...clientErrors };

  const close = () => {
    setForm(formOf(patient));
    setClientErrors({});
    register.reset();
    update.reset();
    onClose();
  };

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((current) => {
      const next = { ...current, [key]: value };
      // A valid number knows the date of birth: fill it in when still empty.
      if (key === 'nationalId' && !current.dateOfBirth) {
        const parsed = parseNationalIdentityNumber(String(value), { allowSynthetic: true });
        if (parsed.ok) next.dateOfBirth = toDateInput(parsed.birthDate);
      }
      return next;
    });
    setClientErrors(({ [key]: _dropped, ...rest }) => rest);
    mutation.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.reset();
    const dateOfBirth = parseDateInput(form.dateOfBirth);
    const details = { ...form, dateOfBirth: dateOfBirth ?? '', gender: form.gender || undefined };
    const parsed = patientDetailsSchema.safeParse(details);
    const issues = issueMessages(parsed.success ? [] : parsed.error.issues, labels);
    if (!dateOfBirth) issues.dateOfBirth = translateCode('validation.date', { field: labels.dateOfBirth });
    if (!parsed.success || !dateOfBirth) {
      setClientErrors(issues);
      return;
    }
    setClientErrors({});
    const onSuccess = (patientId: string) => {
      notifications.show({ color: 'teal', message: patient ? t('journal.register.updated') : t('journal.register.registered', { name: `${parsed.data.givenName} ${parsed.data.familyName}` }) });
      void queryClient.invalidateQueries({ queryKey: trpc.journal.open.queryKey() });
      setForm(EMPTY);
      onSaved(patientId);
    };
    if (patient) update.mutate({ patientId: patient.id, details: parsed.data }, { onSuccess: () => onSuccess(patient.id) });
    else register.mutate(parsed.data, { onSuccess: (result) => onSuccess(result.patientId) });
  };

  const hasFieldErrors = Object.keys(serverErrors).some((key) => key !== '');

  return (
    <Modal opened={opened} onClose={close} title={patient ? t('journal.register.editTitle') : t('journal.register.title')} size="lg" data-testid="patient-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {!patient && (
            <Text size="sm" c="dimmed">
              {t('journal.register.intro')}
            </Text>
          )}
          <TextInput label={labels.nationalId} required inputMode="numeric" autoComplete="off" value={form.nationalId} onChange={(event) => set('nationalId', event.currentTarget.value)} error={errors.nationalId} data-autofocus />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.givenName} required value={form.givenName} onChange={(event) => set('givenName', event.currentTarget.value)} error={errors.givenName} />
            <TextInput label={labels.familyName} required value={form.familyName} onChange={(event) => set('familyName', event.currentTarget.value)} error={errors.familyName} />
            <TextInput label={labels.dateOfBirth} required placeholder={t('journal.datePlaceholder')} value={form.dateOfBirth} onChange={(event) => set('dateOfBirth', event.currentTarget.value)} error={errors.dateOfBirth} />
            <NativeSelect
              label={labels.gender}
              required
              value={form.gender}
              onChange={(event) => set('gender', (GENDERS as readonly string[]).includes(event.currentTarget.value) ? (event.currentTarget.value as Gender) : '')}
              data={[{ value: '', label: '—' }, ...GENDERS.map((gender) => ({ value: gender, label: t(`journal.genders.${gender}`) }))]}
              error={errors.gender}
            />
            <TextInput label={labels.phone} type="tel" placeholder="+47 912 34 567" value={form.phone} onChange={(event) => set('phone', event.currentTarget.value)} error={errors.phone} />
            <TextInput label={labels.email} type="email" value={form.email} onChange={(event) => set('email', event.currentTarget.value)} error={errors.email} />
          </SimpleGrid>
          <TextInput label={labels.address} value={form.address} onChange={(event) => set('address', event.currentTarget.value)} error={errors.address} />
          <Textarea label={labels.nextOfKin} description={t('journal.register.nextOfKinHint')} autosize minRows={2} value={form.nextOfKin} onChange={(event) => set('nextOfKin', event.currentTarget.value)} error={errors.nextOfKin} />
          {errors[''] && (
            <Alert color="red" role="alert">
              {errors['']}
            </Alert>
          )}
          {mutation.error && !hasFieldErrors && !errors[''] && (
            <Alert color="red" role="alert">
              {errorText(mutation.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {patient ? t('journal.register.save') : t('journal.register.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
