import { Card, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTIVITY_KINDS, type ActivityKind, CONTACT_PURPOSES, type ContactPurpose, logActivitySchema } from '../../../../shared/crm-schemas';
import { formatDateTime } from '../../lib/format';
import { fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { osloInstant, osloTimeOfDay, osloToday, parseTimeInput } from '../journal/dates';
import { CrmFormFooter } from './CrmFormFooter';
import { DateField } from './DateField';
import { schemaValidator } from './form-validation';
import type { Activity, Contact } from './types';

interface ActivityFormValues {
  kind: string;
  contactId: string;
  purpose: string;
  summary: string;
  date: string | null;
  time: string;
}

const emptyActivity = (): ActivityFormValues => ({ kind: 'call', contactId: '', purpose: '', summary: '', date: osloToday(), time: osloTimeOfDay() });

/** When it happened, as an instant: the date and clock time read in Oslo time (PLAT-4); '' when unreadable. */
function occurredAtOf(values: ActivityFormValues): string {
  const time = parseTimeInput(values.time);
  return values.date && time ? osloInstant(values.date, time) : '';
}

function inputOf(companyId: string, values: ActivityFormValues) {
  const hasContact = values.contactId !== '';
  return {
    companyId,
    contactId: hasContact ? values.contactId : null,
    kind: values.kind as ActivityKind,
    // A purpose belongs to what was done with a contact's data; without a contact there is none.
    purpose: hasContact && values.purpose !== '' ? (values.purpose as ContactPurpose) : null,
    summary: values.summary,
    occurredAt: occurredAtOf(values),
  };
}

/**
 * CRM-3: what was done with the company — calls, e-mails, meetings, notes, the contact form's
 * message — newest first, and a form to log one. With a contact, the purpose says what their data
 * was used for; the server refuses (and logs the attempt) when that purpose is stopped for them,
 * and the form says why.
 */
export function ActivitiesTab({ companyId, activities, contacts }: { companyId: string; activities: readonly Activity[]; contacts: readonly Contact[] }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const labels: Record<string, string> = useMemo(
    () => ({
      kind: t('crm.activities.form.kind'),
      contactId: t('crm.activities.form.contact'),
      purpose: t('crm.activities.form.purpose'),
      summary: t('crm.activities.form.summary'),
      occurredAt: t('crm.activities.form.time'),
      date: t('crm.activities.form.date'),
      time: t('crm.activities.form.time'),
    }),
    [t],
  );
  const form = useForm<ActivityFormValues>({
    mode: 'controlled',
    initialValues: emptyActivity(),
    validate: (values) => {
      const errors = schemaValidator(logActivitySchema, labels, (current: ActivityFormValues) => inputOf(companyId, current))(values);
      // The date and time are two fields; a missing one is named by its own label.
      if (!values.date) errors.date = translateCode('validation.required', { field: labels.date });
      if (!parseTimeInput(values.time)) errors.time = t('crm.activities.form.timeInvalid', { field: labels.time });
      if (errors.occurredAt) {
        errors.time ??= errors.occurredAt;
        delete errors.occurredAt;
      }
      return errors;
    },
  });
  const log = useMutation(
    trpc.crm.logActivity.mutationOptions({
      onError: (error) => {
        const errors = fieldErrorMessages(error, labels);
        if (errors.occurredAt) errors.time = errors.occurredAt;
        form.setErrors(errors);
      },
    }),
  );

  const submit = form.onSubmit((values) =>
    log.mutate(inputOf(companyId, values), {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('crm.activities.form.logged') });
        form.setValues({ ...emptyActivity(), kind: values.kind });
        form.resetDirty();
        void queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
      },
    }),
  );

  const values = form.getValues();
  const needsPurpose = values.contactId !== '' && values.kind !== 'note';
  const contactOptions = [
    { value: '', label: t('crm.activities.form.noContact') },
    // A stopped contact stays choosable (a note about them is allowed), marked in words.
    ...contacts.map((contact) => ({
      value: contact.id,
      label: contact.isBlocked || contact.blockedPurposes.length > 0 ? `${contact.fullName} (${t('crm.contacts.blocked')})` : contact.fullName,
    })),
  ];

  return (
    <Stack gap="md" data-testid="activities-tab">
      <Card withBorder padding="sm" component="section" aria-labelledby="log-activity-title">
        <form onSubmit={submit} noValidate data-testid="activity-form">
          <Stack gap="sm">
            <Title order={3} size="h5" id="log-activity-title">
              {t('crm.activities.form.title')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NativeSelect label={labels.kind} required data={ACTIVITY_KINDS.map((value) => ({ value, label: translateCode(`crm.activityKind.${value}`) }))} {...form.getInputProps('kind')} />
              <NativeSelect label={labels.contactId} data={contactOptions} {...form.getInputProps('contactId')} />
              <NativeSelect
                label={labels.purpose}
                required={needsPurpose}
                disabled={values.contactId === ''}
                description={t('crm.activities.form.purposeHint')}
                data={[{ value: '', label: t('crm.choose') }, ...CONTACT_PURPOSES.map((value) => ({ value, label: translateCode(`crm.purpose.${value}`) }))]}
                {...form.getInputProps('purpose')}
              />
            </SimpleGrid>
            <Textarea label={labels.summary} required autosize minRows={2} maxRows={8} {...form.getInputProps('summary')} />
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <DateField label={labels.date} required maxDate={osloToday()} {...form.getInputProps('date')} />
              {/* Typed as tt:mm: the browser's own time field follows the machine's locale, which may be 12-hour (PLAT-4). */}
              <TextInput label={labels.time} required placeholder={t('crm.activities.form.timePlaceholder')} inputMode="numeric" autoComplete="off" {...form.getInputProps('time')} />
            </SimpleGrid>
            <CrmFormFooter
              errors={form.errors as Record<string, string | undefined>}
              error={log.error}
              isPending={log.isPending}
              submitLabel={t('crm.activities.form.submit')}
              onCancel={() => {
                form.setValues(emptyActivity());
                form.clearErrors();
                log.reset();
              }}
            />
          </Stack>
        </form>
      </Card>

      <Title order={3} size="h4">
        {t('crm.activities.title')}
      </Title>
      {activities.length === 0 ? (
        <Text c="dimmed">{t('crm.activities.empty')}</Text>
      ) : (
        <Timeline bulletSize={14} lineWidth={2} data-testid="activity-timeline">
          {activities.map((activity) => (
            <Timeline.Item
              key={activity.id}
              title={
                <Text size="sm" fw={600} component="span">
                  {translateCode(`crm.activityKind.${activity.kind}`, {}, activity.kind)}
                  {activity.contactName ? ` ${t('crm.activities.withContact', { name: activity.contactName })}` : ''}
                </Text>
              }
              data-testid="activity-item"
            >
              {activity.summary === null ? (
                <Text size="sm" c="dimmed" fs="italic">
                  {t('crm.activities.textRemoved')}
                </Text>
              ) : (
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {activity.summary}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                {t('crm.activities.byLine', { date: formatDateTime(activity.occurredAt), name: activity.createdByName ?? t('crm.none') })}
                {activity.purpose ? ` · ${t('crm.activities.purposeLine', { purpose: translateCode(`crm.purpose.${activity.purpose}`, {}, activity.purpose) })}` : ''}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </Stack>
  );
}
