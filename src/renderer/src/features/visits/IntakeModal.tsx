import { Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bookingIntakeSchema, URGENCIES } from '../../../../shared/visit-schemas';
import { fieldErrorMessages, issueMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { osloInstant, osloTimeOfDay, osloToday, parseDateInput, parseTimeInput, toDateInput } from '../journal/dates';
import { VisitFormFooter } from './VisitFormFooter';

const GENDERS = ['female', 'male', 'other', 'unknown'] as const;

interface IntakeForm {
  fullName: string;
  street: string;
  postcode: string;
  city: string;
  gender: string;
  dateOfBirth: string;
  nationalId: string;
  phone: string;
  email: string;
  reason: string;
  urgency: string;
  earliestDate: string;
  earliestTime: string;
  latestDate: string;
  latestTime: string;
}

function emptyForm(day: string): IntakeForm {
  // The wanted window starts now (a phone booking is usually for today); the time is rounded up.
  const now = new Date(Date.now() + 5 * 60_000);
  return {
    fullName: '',
    street: '',
    postcode: '',
    city: '',
    gender: '',
    dateOfBirth: '',
    nationalId: '',
    phone: '',
    email: '',
    reason: '',
    urgency: 'normal',
    earliestDate: toDateInput(day === osloToday() ? osloToday(now) : day),
    earliestTime: day === osloToday() ? osloTimeOfDay(now) : '08:00',
    latestDate: '',
    latestTime: '',
  };
}

/** A fresh key per form: a double click or a retry after a lost answer makes one booking, not two (VIS-1). */
function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * VIS-1: a coordinator takes a booking by phone. The shared schema the public form also uses
 * checks it before sending; the server checks again (a window in the past, beyond the horizon).
 * A patient is never created here: linking to the register is a separate, audited step.
 */
export function IntakeModal({ opened, day, onClose, onCreated }: { opened: boolean; day: string; onClose: () => void; onCreated: (bookingId: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [form, setForm] = useState<IntakeForm>(() => emptyForm(day));
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const create = useMutation(trpc.visits.create.mutationOptions());

  const labels: Record<string, string> = {
    fullName: t('visits.intake.fullName'),
    street: t('visits.intake.street'),
    postcode: t('visits.intake.postcode'),
    city: t('visits.intake.city'),
    gender: t('visits.intake.gender'),
    dateOfBirth: t('visits.intake.dateOfBirth'),
    nationalId: t('visits.intake.nationalId'),
    phone: t('visits.intake.phone'),
    email: t('visits.intake.email'),
    reason: t('visits.intake.reason'),
    urgency: t('visits.intake.urgency'),
    earliestAt: t('visits.intake.earliestTime'),
    latestAt: t('visits.intake.latestTime'),
  };
  // The server names fields inside `booking`; the form's own names are the same without the prefix.
  const serverErrors = Object.fromEntries(
    Object.entries(fieldErrorMessages(create.error, Object.fromEntries(Object.entries(labels).map(([key, label]) => [`booking.${key}`, label])))).map(([key, message]) => [key.replace(/^booking\./, ''), message]),
  );
  const errors: Record<string, string | undefined> = { ...serverErrors, ...clientErrors };

  const set = (key: keyof IntakeForm, value: string) => {
    setForm((current) => ({ ...current, [key]: value }));
    const field = key.startsWith('earliest') ? 'earliestAt' : key.startsWith('latest') ? 'latestAt' : key;
    setClientErrors(({ [field]: _dropped, ...rest }) => rest);
    create.reset();
  };

  const close = () => {
    setForm(emptyForm(day));
    setClientErrors({});
    setIdempotencyKey(newIdempotencyKey());
    create.reset();
    onClose();
  };

  /** A date and time typed in Oslo time as an instant; '' when both are empty; null when unreadable. */
  const instantOf = (date: string, time: string): string | null | '' => {
    if (date.trim() === '' && time.trim() === '') return '';
    const isoDate = parseDateInput(date);
    const clock = parseTimeInput(time);
    return isoDate && clock ? osloInstant(isoDate, clock) : null;
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.reset();
    const typed: Record<string, string> = {};
    const dateOfBirth = parseDateInput(form.dateOfBirth);
    if (form.dateOfBirth.trim() !== '' && !dateOfBirth) typed.dateOfBirth = translateCode('validation.date', { field: labels.dateOfBirth });
    const earliestAt = instantOf(form.earliestDate, form.earliestTime);
    if (!earliestAt) typed.earliestAt = translateCode(earliestAt === '' ? 'validation.required' : 'visits.intake.whenInvalid', { field: labels.earliestAt });
    const latestAt = instantOf(form.latestDate, form.latestTime);
    if (latestAt === null) typed.latestAt = translateCode('visits.intake.whenInvalid', { field: labels.latestAt });
    const parsed = bookingIntakeSchema.safeParse({
      fullName: form.fullName,
      street: form.street,
      postcode: form.postcode,
      city: form.city,
      gender: form.gender === '' ? undefined : form.gender,
      dateOfBirth: dateOfBirth ?? (form.dateOfBirth.trim() === '' ? undefined : form.dateOfBirth),
      nationalId: form.nationalId.trim() === '' ? null : form.nationalId.trim(),
      phone: form.phone,
      email: form.email,
      reason: form.reason,
      urgency: form.urgency,
      earliestAt: earliestAt || undefined,
      latestAt: latestAt || null,
    });
    const issues = parsed.success ? {} : issueMessages(parsed.error.issues, labels);
    if (!parsed.success || Object.keys(typed).length > 0) {
      setClientErrors({ ...issues, ...typed });
      return;
    }
    setClientErrors({});
    create.mutate(
      { booking: parsed.data, idempotencyKey },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'teal', message: result.isDuplicate ? t('visits.intake.duplicate') : t('visits.intake.created') });
          onCreated(result.bookingId);
          close();
        },
      },
    );
  };

  const input = (key: keyof IntakeForm, field: string, props: { required?: boolean; placeholder?: string; autoComplete?: string; inputMode?: 'numeric' | 'tel' | 'email' } = {}) => (
    <TextInput label={labels[field]} value={form[key]} onChange={(event) => set(key, event.currentTarget.value)} error={errors[field]} autoComplete={props.autoComplete ?? 'off'} {...props} />
  );

  return (
    <Modal opened={opened} onClose={close} title={t('visits.intake.title')} size="xl" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="intake-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('visits.intake.intro')}
          </Text>
          {input('fullName', 'fullName', { required: true })}
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {input('street', 'street', { required: true })}
            {input('postcode', 'postcode', { required: true, inputMode: 'numeric' })}
            {input('city', 'city', { required: true })}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect
              label={labels.gender}
              required
              value={form.gender}
              onChange={(event) => set('gender', event.currentTarget.value)}
              data={[{ value: '', label: t('visits.intake.choose') }, ...GENDERS.map((value) => ({ value, label: t(`visits.intake.genders.${value}`) }))]}
              error={errors.gender}
            />
            {input('dateOfBirth', 'dateOfBirth', { required: true, placeholder: t('journal.datePlaceholder') })}
            {input('nationalId', 'nationalId', { inputMode: 'numeric' })}
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {input('phone', 'phone', { required: true, inputMode: 'tel' })}
            {input('email', 'email', { inputMode: 'email' })}
          </SimpleGrid>
          <Textarea label={labels.reason} required autosize minRows={2} value={form.reason} onChange={(event) => set('reason', event.currentTarget.value)} error={errors.reason} />
          <NativeSelect
            label={labels.urgency}
            required
            value={form.urgency}
            onChange={(event) => set('urgency', event.currentTarget.value)}
            data={URGENCIES.map((value) => ({ value, label: t(`visits.urgency.${value}`) }))}
            error={errors.urgency}
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('visits.intake.earliestDate')} required placeholder={t('journal.datePlaceholder')} value={form.earliestDate} onChange={(event) => set('earliestDate', event.currentTarget.value)} autoComplete="off" />
            <TextInput label={labels.earliestAt} required placeholder={t('consultations.timePlaceholder')} value={form.earliestTime} onChange={(event) => set('earliestTime', event.currentTarget.value)} error={errors.earliestAt} autoComplete="off" />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('visits.intake.latestDate')} placeholder={t('journal.datePlaceholder')} value={form.latestDate} onChange={(event) => set('latestDate', event.currentTarget.value)} autoComplete="off" />
            <TextInput
              label={labels.latestAt}
              placeholder={t('consultations.timePlaceholder')}
              description={t('visits.intake.latestHint')}
              value={form.latestTime}
              onChange={(event) => set('latestTime', event.currentTarget.value)}
              error={errors.latestAt}
              autoComplete="off"
            />
          </SimpleGrid>
          <VisitFormFooter errors={serverErrors} error={create.error} isPending={create.isPending} submitLabel={t('visits.intake.submit')} onCancel={close} />
        </Stack>
      </form>
    </Modal>
  );
}
