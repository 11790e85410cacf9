import { Modal, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { createTaskSchema } from '../../../../shared/crm-schemas';
import { fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { addDays, osloToday } from '../journal/dates';
import { CrmFormFooter } from './CrmFormFooter';
import { DateField } from './DateField';
import { schemaValidator } from './form-validation';
import type { Contact } from './types';

interface TaskFormValues {
  title: string;
  contactId: string;
  dueOn: string | null;
  ownerId: string;
}

function inputOf(companyId: string, values: TaskFormValues) {
  return {
    companyId,
    title: values.title,
    contactId: values.contactId === '' ? null : values.contactId,
    dueOn: values.dueOn ?? '',
    // Left out: the server makes the caller the owner.
    ...(values.ownerId === '' ? {} : { ownerId: values.ownerId }),
  };
}

/** CRM-3: a follow-up task on the company (and perhaps one contact), with a due date and an owner. */
export function NewTaskModal({ companyId, contacts, onClose }: { companyId: string; contacts: readonly Contact[]; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.crm.salesUsers.queryOptions(undefined, { staleTime: 60_000 }));
  const labels: Record<string, string> = useMemo(
    () => ({ title: t('crm.tasks.form.taskTitle'), contactId: t('crm.tasks.form.contact'), dueOn: t('crm.tasks.form.dueOn'), ownerId: t('crm.tasks.form.owner') }),
    [t],
  );
  const form = useForm<TaskFormValues>({
    mode: 'controlled',
    // A week ahead: the usual "follow up next week" after a call.
    initialValues: { title: '', contactId: '', dueOn: addDays(osloToday(), 7), ownerId: '' },
    validate: schemaValidator(createTaskSchema, labels, (values: TaskFormValues) => inputOf(companyId, values)),
  });
  const create = useMutation(trpc.crm.createTask.mutationOptions({ onError: (error) => form.setErrors(fieldErrorMessages(error, labels)) }));

  const submit = form.onSubmit((values) =>
    create.mutate(inputOf(companyId, values), {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('crm.tasks.form.created') });
        void queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
        onClose();
      },
    }),
  );

  return (
    <Modal opened onClose={onClose} title={t('crm.tasks.form.title')} size="lg" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="task-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={labels.title} required autoComplete="off" {...form.getInputProps('title')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={labels.contactId}
              data={[{ value: '', label: t('crm.tasks.form.noContact') }, ...contacts.map((contact) => ({ value: contact.id, label: contact.fullName }))]}
              {...form.getInputProps('contactId')}
            />
            <DateField label={labels.dueOn} required minDate={osloToday()} {...form.getInputProps('dueOn')} />
          </SimpleGrid>
          <NativeSelect
            label={labels.ownerId}
            maw={320}
            data={[{ value: '', label: t('crm.tasks.form.me') }, ...(users.data ?? []).map((user) => ({ value: user.id, label: user.displayName }))]}
            {...form.getInputProps('ownerId')}
          />
          <CrmFormFooter errors={form.errors as Record<string, string | undefined>} error={create.error} isPending={create.isPending} submitLabel={t('crm.tasks.form.submit')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
