import { Modal, NativeSelect, Stack, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { DIRECT_MARKETING_PURPOSES, withdrawConsentSchema } from '../../../../shared/crm-schemas';
import { fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { CrmFormFooter } from './CrmFormFooter';
import { schemaValidator } from './form-validation';
import type { Contact } from './types';

/** Withdrawing consent, or objecting to processing on legitimate interest (CRM-2, GDPR art. 7(3), 21). */
export type StopKind = 'withdraw' | 'object';

interface StopValues {
  purpose: string;
  evidence: string;
}

/** The purposes a stop can name: those the contact has an active basis of that kind for, and 'all'. */
function purposesFor(contact: Contact, kind: StopKind): string[] {
  const basis = kind === 'withdraw' ? 'consent' : 'legitimate_interest';
  const purposes = contact.bases.filter((record) => record.basis === basis && record.state === 'active').map((record) => record.purpose as string);
  return [...purposes, 'all'];
}

/**
 * CRM-2: a contact withdraws consent or objects. From now on the purpose (or all of them) is
 * blocked everywhere: activities, tasks, lists and exports. Both are recorded as new records, and
 * the evidence says how the person said it. An objection to one kind of direct marketing covers
 * all direct marketing (art. 21(3)), as the form says.
 */
export function StopProcessingModal({ contact, kind, onClose }: { contact: Contact; kind: StopKind; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const labels: Record<string, string> = useMemo(() => ({ purpose: t('crm.contacts.refusalForm.purpose'), evidence: t('crm.contacts.refusalForm.evidence') }), [t]);
  const purposes = purposesFor(contact, kind);
  const form = useForm<StopValues>({
    mode: 'controlled',
    initialValues: { purpose: purposes[0] ?? 'all', evidence: '' },
    // Withdrawal and objection take the same shape: one schema checks both forms.
    validate: schemaValidator(withdrawConsentSchema, labels, (values: StopValues) => ({ contactId: contact.id, ...values })),
  });
  const onError = (error: unknown) => form.setErrors(fieldErrorMessages(error, labels));
  const withdraw = useMutation(trpc.crm.withdrawConsent.mutationOptions({ onError }));
  const object = useMutation(trpc.crm.recordObjection.mutationOptions({ onError }));
  const mutation = kind === 'withdraw' ? withdraw : object;

  const submit = form.onSubmit((values) => {
    const input = { contactId: contact.id, purpose: values.purpose as Parameters<typeof withdraw.mutate>[0]['purpose'], evidence: values.evidence };
    const onSuccess = () => {
      notifications.show({ color: 'teal', message: kind === 'withdraw' ? t('crm.contacts.withdrawn') : t('crm.contacts.objected') });
      void queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
      onClose();
    };
    if (kind === 'withdraw') withdraw.mutate(input, { onSuccess });
    else object.mutate(input, { onSuccess });
  });

  const coversAllMarketing = kind === 'object' && DIRECT_MARKETING_PURPOSES.some((purpose) => purposes.includes(purpose));
  return (
    <Modal
      opened
      onClose={onClose}
      title={kind === 'withdraw' ? t('crm.contacts.refusalForm.withdrawTitle', { name: contact.fullName }) : t('crm.contacts.refusalForm.objectTitle', { name: contact.fullName })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('app.close') }}
      data-testid="stop-processing-form"
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{kind === 'withdraw' ? t('crm.contacts.refusalForm.withdrawIntro') : t('crm.contacts.refusalForm.objectIntro')}</Text>
          {coversAllMarketing && (
            <Text size="sm" c="dimmed">
              {t('crm.contacts.refusalForm.coversAllMarketing')}
            </Text>
          )}
          <NativeSelect label={labels.purpose} required data={purposes.map((value) => ({ value, label: translateCode(`crm.purpose.${value}`) }))} {...form.getInputProps('purpose')} />
          <Textarea label={labels.evidence} description={t('crm.contacts.refusalForm.evidenceHint')} required autosize minRows={2} {...form.getInputProps('evidence')} />
          <CrmFormFooter
            errors={form.errors as Record<string, string | undefined>}
            error={mutation.error}
            isPending={mutation.isPending}
            submitLabel={kind === 'withdraw' ? t('crm.contacts.refusalForm.withdrawSubmit') : t('crm.contacts.refusalForm.objectSubmit')}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
