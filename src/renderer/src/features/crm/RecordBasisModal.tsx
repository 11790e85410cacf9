import { Modal, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { recordBasisSchema } from '../../../../shared/crm-schemas';
import { fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { BasisFields, type BasisValues, basisInput, basisLabels, emptyBasis } from './BasisFields';
import { CrmFormFooter } from './CrmFormFooter';
import { schemaValidator } from './form-validation';
import type { Contact } from './types';

/**
 * CRM-2: a new legal basis for one purpose of a contact. It supersedes the current record for that
 * purpose; the old one stays as history (a basis is never edited).
 */
export function RecordBasisModal({ contact, onClose }: { contact: Contact; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const labels = useMemo(() => basisLabels(), []);
  const form = useForm<BasisValues>({
    mode: 'controlled',
    initialValues: emptyBasis(),
    validate: schemaValidator(recordBasisSchema, labels, (values: BasisValues) => ({ contactId: contact.id, ...basisInput(values) })),
  });
  const record = useMutation(trpc.crm.recordBasis.mutationOptions({ onError: (error) => form.setErrors(fieldErrorMessages(error, labels)) }));

  const submit = form.onSubmit((values) =>
    record.mutate({ contactId: contact.id, ...basisInput(values) } as Parameters<typeof record.mutate>[0], {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('crm.contacts.basisRecorded') });
        void queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
        onClose();
      },
    }),
  );

  return (
    <Modal opened onClose={onClose} title={t('crm.contacts.basisForm.title', { name: contact.fullName })} size="xl" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="basis-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('crm.contacts.basisForm.intro')}
          </Text>
          <BasisFields form={form} />
          <CrmFormFooter errors={form.errors as Record<string, string | undefined>} error={record.error} isPending={record.isPending} submitLabel={t('crm.contacts.basisForm.submit')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
