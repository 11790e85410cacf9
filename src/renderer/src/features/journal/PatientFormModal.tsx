import { Alert, Button, Group, Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';
import { parseNationalIdentityNumber } from '../../../../shared/national-identity-number';
import { GENDERS, patientDetailsSchema } from '../../../../shared/patient-schemas';
import { apiErrorCode, fieldErrorsOf } from '../../lib/api-error';
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
 * A valid number states the date of birth and legal gender: fill them in where empty or where they
 * contradict it (the server would refuse them). `other` and `unknown` are left as chosen.
 */
function withWhatTheNumberStates(form: Form): { form: Form; isDerived: boolean } {
  const parsed = parseNationalIdentityNumber(form.nationalId, { allowSynthetic: true });
  if (!parsed.ok) return { form, isDerived: false };
  const dateOfBirth = toDateInput(parsed.birthDate);
  const gender = form.gender === '' || form.gender === 'female' || form.gender === 'male' ? parsed.gender : form.gender;
  return { form: { ...form, dateOfBirth, gender }, isDerived: dateOfBirth !== form.dateOfBirth || gender !== form.gender };
}

/**
 * JRN-1: register a patient, or correct their details. Checked before sending with the schema the
 * server uses (the national identity number's two mod-11 digits, and a date of birth and gender
 * that agree with it); the server's own field errors appear beside their fields. A number already
 * registered: to a patient this clinician may open, a way to open them (found by a logged search);
 * to anyone else, only the break-glass step (ADR 0010).
 */
export function PatientFormModal({
  opened,
  onClose,
  onSaved,
  onBreakGlass,
  patient,
}: {
  opened: boolean;
  onClose: () => void;
  onSaved: (patientId: string) => void;
  /** Registration only: ask for break-glass by this number. */
  onBreakGlass?: (nationalId: string) => void;
  patient?: PatientDetails;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(patient));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [isDerivedFromNumber, setIsDerivedFromNumber] = useState(false);
  const [isOpeningRegistered, setIsOpeningRegistered] = useState(false);
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
    setIsDerivedFromNumber(false);
    register.reset();
    update.reset();
    onClose();
  };

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    const next = { ...form, [key]: value };
    if (key === 'nationalId') {
      const derived = withWhatTheNumberStates(next);
      setForm(derived.form);
      setIsDerivedFromNumber(derived.isDerived);
    } else {
      setForm(next);
    }
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
  const submittedNumber = parseNationalIdentityNumber(form.nationalId, { allowSynthetic: true });
  const isTakenByOpenablePatient = fieldErrorsOf(mutation.error).some((fieldError) => fieldError.messageKey === 'validation.nationalId_taken');
  const isMaybeTakenByUnreachablePatient = apiErrorCode(mutation.error) === API_ERROR_MESSAGES.patientMayExist;

  // The patient the number belongs to, found the way any clinician finds them: a search the server logs (AUD-6).
  const openRegistered = async () => {
    if (!submittedNumber.ok) return;
    setIsOpeningRegistered(true);
    try {
      const found = await queryClient.fetchQuery(trpc.patients.search.queryOptions({ query: submittedNumber.value }, { staleTime: 0 }));
      if (found[0]) {
        close();
        onSaved(found[0].id);
      }
    } finally {
      setIsOpeningRegistered(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={patient ? t('journal.register.editTitle') : t('journal.register.title')} size="lg" data-testid="patient-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {!patient && (
            <Text size="sm" c="dimmed">
              {t('journal.register.intro')}
            </Text>
          )}
          <TextInput
            label={labels.nationalId}
            required
            inputMode="numeric"
            autoComplete="off"
            value={form.nationalId}
            onChange={(event) => set('nationalId', event.currentTarget.value)}
            description={isDerivedFromNumber ? t('journal.register.derivedFromNumber') : undefined}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            error={errors.nationalId}
            data-autofocus
          />
          {isTakenByOpenablePatient && !patient && (
            <Group>
              <Button variant="light" size="xs" loading={isOpeningRegistered} onClick={() => void openRegistered()}>
                {t('journal.register.openRegistered')}
              </Button>
            </Group>
          )}
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
            <Alert color="red" role="alert" data-testid="patient-form-error">
              <Stack gap="sm" align="flex-start">
                <Text size="sm">{errorText(mutation.error)}</Text>
                {isMaybeTakenByUnreachablePatient && onBreakGlass && submittedNumber.ok && (
                  <Button
                    color="red"
                    variant="outline"
                    onClick={() => {
                      const nationalId = submittedNumber.value;
                      close();
                      onBreakGlass(nationalId);
                    }}
                  >
                    {t('journal.breakGlass.byNumber.open')}
                  </Button>
                )}
              </Stack>
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
