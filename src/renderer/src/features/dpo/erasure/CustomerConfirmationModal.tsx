import { Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CUSTOMER_CONFIRMATION_CHANNELS, type CustomerConfirmationChannel, confirmCustomerErasureSchema } from '../../../../../shared/dpo-erasure-schemas';
import { osloCalendarDate } from '../../../../../shared/oslo-time';
import { fieldErrorMessages } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { useStepUpMutation } from '../../auth/step-up';
import { schemaValidator } from '../../crm/form-validation';
import { FormFooter } from '../../shared/FormFooter';
import { erasureErrorText } from './erasure-format';

interface Values {
  confirmedByName: string;
  confirmedByRole: string;
  confirmedOn: string;
  channel: string;
  note: string;
}

/** The employee awaiting the customer: its id and the company to ask. */
export interface AwaitingEmployee {
  employeeId: string;
  companyName: string;
}

/**
 * DPO-5: the customer's confirmation that its employee may be erased while the agreement runs —
 * who at the customer, on which day, how — checked by the shared schema before sending. Saving it
 * erases the employee's record at once (irreversible: a fresh second factor), with its receipt in
 * the log.
 */
export function CustomerConfirmationModal({ caseId, employee, onClose }: { caseId: string; employee: AwaitingEmployee; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const labels: Record<string, string> = useMemo(
    () => ({
      confirmedByName: t('dpoErasure.confirmation.confirmedByName'),
      confirmedByRole: t('dpoErasure.confirmation.confirmedByRole'),
      confirmedOn: t('dpoErasure.confirmation.confirmedOn'),
      channel: t('dpoErasure.confirmation.channel'),
      note: t('dpoErasure.confirmation.note'),
    }),
    [t],
  );
  const inputOf = (values: Values) => ({ caseId, employeeId: employee.employeeId, ...values, channel: values.channel as CustomerConfirmationChannel });
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { confirmedByName: '', confirmedByRole: '', confirmedOn: osloCalendarDate(new Date()), channel: 'email', note: '' },
    validate: schemaValidator(confirmCustomerErasureSchema, labels, inputOf),
  });
  const confirm = useStepUpMutation(
    trpc.dpo.erasure.confirmCustomer.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoErasure.confirmation.saved', { company: employee.companyName }) });
        void queryClient.invalidateQueries({ queryKey: trpc.dpo.erasure.pathKey() });
        onClose();
      },
      onError: (error) => form.setErrors(fieldErrorMessages(error, labels)),
    }),
  );
  const submit = form.onSubmit((values) => confirm.mutate(inputOf(values)));

  return (
    <Modal opened onClose={onClose} title={t('dpoErasure.confirmation.title')} size="lg" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="customer-confirmation-form">
      <form onSubmit={(event: FormEvent<HTMLFormElement>) => submit(event)} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('dpoErasure.confirmation.intro', { company: employee.companyName })}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.confirmedByName} required autoComplete="off" {...form.getInputProps('confirmedByName')} />
            <TextInput label={labels.confirmedByRole} autoComplete="off" {...form.getInputProps('confirmedByRole')} />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput type="date" label={labels.confirmedOn} required max={osloCalendarDate(new Date())} {...form.getInputProps('confirmedOn')} />
            <NativeSelect
              label={labels.channel}
              required
              data={CUSTOMER_CONFIRMATION_CHANNELS.map((channel) => ({ value: channel, label: t(`dpoErasure.confirmation.channels.${channel}`) }))}
              {...form.getInputProps('channel')}
            />
          </SimpleGrid>
          <Textarea label={labels.note} description={t('dpoErasure.confirmation.noteHint')} autosize minRows={2} maxRows={5} {...form.getInputProps('note')} />
          <Text size="sm" c="dimmed">
            {t('dpoErasure.confirmation.irreversible')}
          </Text>
          <FormFooter
            errors={form.errors as Record<string, string | undefined>}
            error={confirm.error}
            isPending={confirm.isPending}
            submitLabel={t('dpoErasure.confirmation.submit')}
            onCancel={onClose}
            errorText={erasureErrorText}
          />
        </Stack>
      </form>
    </Modal>
  );
}
