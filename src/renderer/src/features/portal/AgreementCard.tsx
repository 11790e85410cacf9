import { Alert, Badge, Button, Card, Checkbox, Group, Loader, Modal, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../../shared/oslo-time';
import { AGREEMENT_SERVICES, type AgreementService, saveAgreementSchema } from '../../../../shared/portal-schemas';
import { formatCalendarDate } from '../../lib/format';
import { fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { FormFooter } from '../shared/FormFooter';
import { isChangedMeanwhile, portalErrorText } from './portal-errors';
import type { Agreement } from './types';

/** When the agreement ended, the state it is in; colour is never the only sign (the badge says it). */
function agreementState(agreement: Agreement, today: string): 'active' | 'ended' | 'notStarted' {
  if (agreement.endsOn !== null && agreement.endsOn < today) return 'ended';
  if (agreement.startsOn > today) return 'notStarted';
  return 'active';
}

const STATE_COLOUR = { active: 'teal', ended: 'gray', notStarted: 'blue' } as const;

/** Days after the end the employees are kept, when the server says (retention, CRM-4). */
function retentionDaysOf(agreement: Agreement): number | null {
  const days = (agreement as { employeeRetentionDays?: unknown }).employeeRetentionDays;
  return typeof days === 'number' && Number.isInteger(days) && days >= 0 ? days : null;
}

/**
 * CRM-4: the customer's one agreement — its period, the services it covers, a reference — with
 * create and edit. An ended agreement says that its employees will be deleted (retention).
 */
export function AgreementCard({ companyId, today }: { companyId: string; today: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const agreement = useQuery(trpc.portal.agreement.queryOptions({ companyId }));
  const [isEditing, setIsEditing] = useState(false);

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="portal-agreement-title" data-testid="portal-agreement">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} id="portal-agreement-title">
            {t('portal.agreement.title')}
          </Title>
          {agreement.isSuccess && (
            <Button variant="light" onClick={() => setIsEditing(true)}>
              {agreement.data ? t('portal.agreement.edit') : t('portal.agreement.create')}
            </Button>
          )}
        </Group>
        {agreement.isPending && <Loader size="sm" aria-label={t('portal.agreement.title')} />}
        {agreement.isError && (
          <Alert color="red" role="alert" title={t('portal.agreement.loadFailed')}>
            {portalErrorText(agreement.error)}
          </Alert>
        )}
        {agreement.isSuccess && agreement.data === null && <Text c="dimmed">{t('portal.agreement.none')}</Text>}
        {agreement.isSuccess && agreement.data && <AgreementDetails agreement={agreement.data} today={today} />}
      </Stack>
      {isEditing && agreement.isSuccess && (
        <AgreementFormModal companyId={companyId} agreement={agreement.data} onClose={() => setIsEditing(false)} />
      )}
    </Card>
  );
}

function AgreementDetails({ agreement, today }: { agreement: Agreement; today: string }) {
  const { t } = useTranslation();
  const state = agreementState(agreement, today);
  const retentionDays = retentionDaysOf(agreement);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color={STATE_COLOUR[state]} variant="light" data-testid="agreement-state">
          {t(`portal.agreement.${state}`)}
        </Badge>
        <Text size="sm">
          {formatCalendarDate(agreement.startsOn)} – {agreement.endsOn ? formatCalendarDate(agreement.endsOn) : t('portal.agreement.running')}
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
        <div>
          <Text size="xs" c="dimmed">
            {t('portal.agreement.services')}
          </Text>
          <Group gap={4}>
            {agreement.services.map((service) => (
              <Badge key={service} variant="outline" color="gray">
                {t(`portal.services.${service}`)}
              </Badge>
            ))}
          </Group>
        </div>
        <div>
          <Text size="xs" c="dimmed">
            {t('portal.agreement.reference')}
          </Text>
          <Text size="sm">{agreement.reference ?? t('portal.agreement.noReference')}</Text>
        </div>
      </SimpleGrid>
      {state === 'ended' && agreement.endsOn && (
        <Alert color="orange" data-testid="agreement-ended">
          {retentionDays === null
            ? t('portal.agreement.endedNotice', { date: formatCalendarDate(agreement.endsOn) })
            : t('portal.agreement.endedNoticeDays', {
                date: formatCalendarDate(agreement.endsOn),
                days: retentionDays,
                deleteOn: formatCalendarDate(addDays(agreement.endsOn, retentionDays)),
              })}
        </Alert>
      )}
    </Stack>
  );
}

interface AgreementForm {
  startsOn: string | null;
  endsOn: string | null;
  services: AgreementService[];
  reference: string;
}

function formOf(agreement: Agreement | null): AgreementForm {
  return {
    startsOn: agreement?.startsOn ?? null,
    endsOn: agreement?.endsOn ?? null,
    services: agreement ? [...agreement.services] : [],
    reference: agreement?.reference ?? '',
  };
}

function isService(value: string): value is AgreementService {
  return (AGREEMENT_SERVICES as readonly string[]).includes(value);
}

/** Create or edit; checked with the schema the server uses, the server's own field errors shown on their fields. */
function AgreementFormModal({ companyId, agreement, onClose }: { companyId: string; agreement: Agreement | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.portal.saveAgreement.mutationOptions());
  // The version the form edits: after a conflict it moves on to the version now stored.
  const [baseVersion, setBaseVersion] = useState(agreement?.version);
  const labels = {
    startsOn: t('portal.agreement.startsOn'),
    endsOn: t('portal.agreement.endsOn'),
    services: t('portal.agreement.services'),
    reference: t('portal.agreement.reference'),
  };
  const inputOf = (values: AgreementForm) => ({
    companyId,
    startsOn: values.startsOn ?? '',
    endsOn: values.endsOn,
    services: values.services,
    reference: values.reference,
    ...(baseVersion === undefined ? {} : { version: baseVersion }),
  });
  const form = useForm<AgreementForm>({
    mode: 'controlled',
    initialValues: formOf(agreement),
    validate: (values) => {
      const parsed = saveAgreementSchema.safeParse(inputOf(values));
      const errors = parsed.success ? {} : issueMessages(parsed.error.issues, labels);
      // No date chosen is a missing field, not a malformed date.
      return values.startsOn === null ? { ...errors, startsOn: t('validation.required', { field: labels.startsOn }) } : errors;
    },
  });

  const submit = form.onSubmit((values) => {
    save.mutate(inputOf(values), {
      onSuccess: async () => {
        notifications.show({ color: 'teal', message: t('portal.agreement.saved') });
        await queryClient.invalidateQueries({ queryKey: trpc.portal.agreement.queryKey({ companyId }) });
        onClose();
      },
      onError: async (error) => {
        if (isChangedMeanwhile(error)) {
          // Show what is stored now and let the user decide again on top of it.
          const current = await queryClient.fetchQuery({ ...trpc.portal.agreement.queryOptions({ companyId }), staleTime: 0 });
          setBaseVersion(current?.version);
          form.setValues(formOf(current));
          form.setErrors({ '': t('portal.agreement.conflict') });
          return;
        }
        form.setErrors(fieldErrorMessages(error, labels));
      },
    });
  });

  const errors = Object.fromEntries(Object.entries(form.errors).map(([key, value]) => [key, typeof value === 'string' ? value : undefined]));

  return (
    <Modal opened onClose={onClose} title={agreement ? t('portal.agreement.editTitle') : t('portal.agreement.createTitle')} closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="agreement-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <DatePickerInput label={labels.startsOn} required valueFormat="DD.MM.YYYY" {...form.getInputProps('startsOn')} />
            <DatePickerInput label={labels.endsOn} description={t('portal.agreement.endsOnHint')} clearable valueFormat="DD.MM.YYYY" {...form.getInputProps('endsOn')} />
          </SimpleGrid>
          <Checkbox.Group
            label={labels.services}
            required
            {...form.getInputProps('services')}
            onChange={(values) => form.setFieldValue('services', values.filter(isService))}
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
              {AGREEMENT_SERVICES.map((service) => (
                <Checkbox key={service} value={service} label={t(`portal.services.${service}`)} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <TextInput label={labels.reference} maxLength={100} {...form.getInputProps('reference')} />
          <FormFooter
            errors={errors}
            error={save.error}
            isPending={save.isPending}
            submitLabel={t('portal.agreement.save')}
            onCancel={onClose}
            errorText={portalErrorText}
          />
        </Stack>
      </form>
    </Modal>
  );
}
