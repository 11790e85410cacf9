import { Divider, Modal, NativeSelect, SimpleGrid, Stack, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { createContactSchema } from '../../../../shared/crm-schemas';
import { fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { BasisFields, type BasisValues, basisInput, basisLabels, emptyBasis } from './BasisFields';
import { CrmFormFooter } from './CrmFormFooter';
import { schemaValidator } from './form-validation';

/** The sources a salesperson records by hand (the contact form's own arrive by themselves). */
const MANUAL_SOURCES = ['manual', 'public_sources', 'customer'] as const;

interface ContactFormValues {
  fullName: string;
  jobTitle: string;
  email: string;
  phone: string;
  source: string;
  bases: BasisValues[];
}

function inputOf(companyId: string, values: ContactFormValues) {
  return {
    companyId,
    fullName: values.fullName,
    jobTitle: values.jobTitle,
    email: values.email,
    phone: values.phone,
    source: values.source as (typeof MANUAL_SOURCES)[number],
    bases: values.bases.map(basisInput) as ReturnType<typeof basisInput>[],
  };
}

/**
 * CRM-2: a new contact person, with the legal basis for the first purpose they are processed for
 * (a contact is never stored without one). More purposes are recorded on the contact afterwards.
 */
export function NewContactModal({ companyId, onClose }: { companyId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const labels: Record<string, string> = useMemo(
    () => ({
      fullName: t('crm.contacts.form.fullName'),
      jobTitle: t('crm.contacts.form.jobTitle'),
      email: t('crm.contacts.form.email'),
      phone: t('crm.contacts.form.phone'),
      source: t('crm.contacts.form.source'),
      bases: t('crm.contacts.form.initialBasis'),
      ...basisLabels('bases.0.'),
    }),
    [t],
  );
  const form = useForm<ContactFormValues>({
    mode: 'controlled',
    initialValues: { fullName: '', jobTitle: '', email: '', phone: '', source: 'manual', bases: [emptyBasis()] },
    validate: schemaValidator(createContactSchema, labels, (values: ContactFormValues) => inputOf(companyId, values)),
  });
  const create = useMutation(trpc.crm.createContact.mutationOptions({ onError: (error) => form.setErrors(fieldErrorMessages(error, labels)) }));

  const submit = form.onSubmit((values) =>
    create.mutate(inputOf(companyId, values) as Parameters<typeof create.mutate>[0], {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('crm.contacts.created') });
        void queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
        onClose();
      },
    }),
  );

  return (
    <Modal opened onClose={onClose} title={t('crm.contacts.form.newTitle')} size="xl" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="contact-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.fullName} required autoComplete="off" {...form.getInputProps('fullName')} />
            <TextInput label={labels.jobTitle} autoComplete="off" {...form.getInputProps('jobTitle')} />
            <TextInput label={labels.email} type="email" inputMode="email" autoComplete="off" {...form.getInputProps('email')} />
            <TextInput label={labels.phone} type="tel" inputMode="tel" autoComplete="off" {...form.getInputProps('phone')} />
          </SimpleGrid>
          <NativeSelect label={labels.source} data={MANUAL_SOURCES.map((value) => ({ value, label: translateCode(`crm.contactSource.${value}`) }))} maw={320} {...form.getInputProps('source')} />
          <Divider />
          <Title order={3} size="h5">
            {labels.bases}
          </Title>
          <BasisFields form={form} prefix="bases.0." />
          <CrmFormFooter errors={form.errors as Record<string, string | undefined>} error={create.error} isPending={create.isPending} submitLabel={t('crm.contacts.form.create')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
