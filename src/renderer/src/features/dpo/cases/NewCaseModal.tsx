import { Alert, Anchor, Button, List, Modal, NativeSelect, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createDsrCaseSchema, DSR_CHANNELS, DSR_KINDS, type DsrChannel, type DsrKind } from '../../../../../shared/dsr-schemas';
import { formatCalendarDate, osloCalendarDate } from '../../../../../shared/oslo-time';
import { fieldErrorMessages, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { FormFooter } from '../../shared/FormFooter';
import { hashOf } from '../../shell/routes';
import { schemaValidator } from '../../crm/form-validation';

interface Values {
  kind: string;
  receivedOn: string;
  channel: string;
  requesterName: string;
  nationalId: string;
  email: string;
  phone: string;
  note: string;
}

interface Duplicate {
  id: string;
  reference: string;
  kind: string;
  status: string;
  receivedOn: string;
  requesterName: string;
  matchedBy: string[];
}

const inputOf = (values: Values, confirmNotDuplicate: boolean) => ({
  kind: values.kind as DsrKind,
  receivedOn: values.receivedOn,
  channel: values.channel as DsrChannel,
  requesterName: values.requesterName,
  nationalId: values.nationalId.replace(/\s/g, ''),
  email: values.email,
  phone: values.phone,
  note: values.note,
  confirmNotDuplicate,
});

/**
 * DPO-4: "Ny begjæring". The shared schema checks the fields (fødselsnummer mod-11, e-mail, phone,
 * a receipt date not in the future) before sending. If the server finds other open or recent
 * requests of the same kind from the same person, they are listed and the DPO confirms that this
 * is a new request before anything is registered.
 */
export function NewCaseModal({ onClose, onCreated }: { onClose: () => void; onCreated: (caseId: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [duplicates, setDuplicates] = useState<Duplicate[] | null>(null);
  const labels: Record<string, string> = useMemo(
    () => ({
      kind: t('dpoCases.form.kind'),
      receivedOn: t('dpoCases.form.receivedOn'),
      channel: t('dpoCases.form.channel'),
      requesterName: t('dpoCases.form.requesterName'),
      nationalId: t('dpoCases.form.nationalId'),
      email: t('dpoCases.form.email'),
      phone: t('dpoCases.form.phone'),
      note: t('dpoCases.form.note'),
    }),
    [t],
  );
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { kind: 'access', receivedOn: osloCalendarDate(new Date()), channel: 'email', requesterName: '', nationalId: '', email: '', phone: '', note: '' },
    validate: schemaValidator(createDsrCaseSchema, labels, (values: Values) => inputOf(values, false)),
    // Changed details may match other requests (or none): the duplicates are looked up again.
    onValuesChange: () => setDuplicates(null),
  });
  const create = useMutation(trpc.dpo.cases.create.mutationOptions({ onError: (error) => form.setErrors(fieldErrorMessages(error, labels)) }));

  const send = (values: Values, confirm: boolean) =>
    create.mutate(inputOf(values, confirm), {
      onSuccess: (result) => {
        if (!result.created) {
          setDuplicates(result.duplicates);
          return;
        }
        notifications.show({ color: 'teal', message: t('dpoCases.form.created', { reference: result.reference }) });
        void queryClient.invalidateQueries({ queryKey: trpc.dpo.cases.pathKey() });
        onCreated(result.id);
      },
    });
  const submit = form.onSubmit((values) => send(values, false));

  return (
    <Modal opened onClose={onClose} title={t('dpoCases.form.title')} size="lg" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="new-dsr-case-form">
      <form onSubmit={(event: FormEvent<HTMLFormElement>) => submit(event)} noValidate>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NativeSelect label={labels.kind} required data={DSR_KINDS.map((kind) => ({ value: kind, label: translateCode(`dpoCases.kind.${kind}`) }))} {...form.getInputProps('kind')} />
            <TextInput type="date" label={labels.receivedOn} required max={osloCalendarDate(new Date())} {...form.getInputProps('receivedOn')} />
            <NativeSelect label={labels.channel} required data={DSR_CHANNELS.map((channel) => ({ value: channel, label: translateCode(`dpoCases.channel.${channel}`) }))} {...form.getInputProps('channel')} />
          </SimpleGrid>
          <TextInput label={labels.requesterName} required autoComplete="off" {...form.getInputProps('requesterName')} />
          <TextInput label={labels.nationalId} description={t('dpoCases.form.nationalIdHint')} inputMode="numeric" autoComplete="off" {...form.getInputProps('nationalId')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.email} type="email" autoComplete="off" {...form.getInputProps('email')} />
            <TextInput label={labels.phone} type="tel" autoComplete="off" {...form.getInputProps('phone')} />
          </SimpleGrid>
          <Textarea label={labels.note} autosize minRows={2} maxRows={6} {...form.getInputProps('note')} />
          {duplicates !== null && (
            <Alert color="orange" title={t('dpoCases.form.duplicatesTitle')} role="alert" data-testid="dsr-duplicates">
              <Text size="sm">{t('dpoCases.form.duplicatesBody')}</Text>
              <List size="sm" mt="xs">
                {duplicates.map((duplicate) => (
                  <List.Item key={duplicate.id}>
                    <Anchor href={hashOf({ page: 'dsrCase', caseId: duplicate.id })} size="sm">
                      {duplicate.reference}
                    </Anchor>{' '}
                    – {translateCode(`dpoCases.kind.${duplicate.kind}`)}, {duplicate.requesterName}, {formatCalendarDate(duplicate.receivedOn)}, {translateCode(`dpoCases.status.${duplicate.status}`)}.{' '}
                    {t('dpoCases.form.matchedBy', { fields: duplicate.matchedBy.map((field) => translateCode(`dpoCases.form.matched.${field}`)).join(', ') })}
                  </List.Item>
                ))}
              </List>
              <Button mt="sm" color="orange" onClick={() => send(form.getValues(), true)} loading={create.isPending} data-testid="confirm-new-dsr-case">
                {t('dpoCases.form.confirmNew')}
              </Button>
            </Alert>
          )}
          <FormFooter errors={form.errors as Record<string, string | undefined>} error={create.error} isPending={create.isPending} submitLabel={t('dpoCases.form.create')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
