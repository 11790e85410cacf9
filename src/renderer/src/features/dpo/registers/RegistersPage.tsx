import { Alert, Badge, Button, Group, Loader, Modal, MultiSelect, NativeSelect, SimpleGrid, Stack, Table, Tabs, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  createActivitySchema,
  createProcessorSchema,
  LEGAL_BASIS_CODES,
  type LegalBasisCode,
  TRANSFER_BASES,
  type TransferBasisCode,
  updateActivitySchema,
  updateProcessorSchema,
} from '../../../../../shared/dpo-report-schemas';
import { base64ToBytes, downloadBlob, safeFileName } from '../../../lib/download';
import { formatCalendarDate, formatDateTime } from '../../../lib/format';
import { errorText, fieldErrorMessages, translateCode } from '../../../lib/translate';
import type { RouterOutputs } from '../../../lib/api-types';
import { useTRPC } from '../../../lib/trpc';
import { useStepUpMutation } from '../../auth/step-up';
import { schemaValidator } from '../../crm/form-validation';

type Registers = RouterOutputs['dpo']['registers']['list'];
type Activity = Registers['activities'][number];
type Processor = Registers['processors'][number];

const legalBasisLabel = (code: string) => translateCode(`dpoReport.registers.legalBasis.${code}`, {}, code);

/**
 * DPO-7: the registers — processing activities (GDPR art. 30) and data processors — in two tabs,
 * each entry edited in a modal checked by the same schema as the server (an edit carries the
 * version the DPO saw), and exported by the backend as CSV or PDF behind step-up.
 */
export function RegistersPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const registers = useQuery(trpc.dpo.registers.list.queryOptions(undefined, { staleTime: 0 }));
  const [tab, setTab] = useState<string | null>('activities');
  const [editingActivity, setEditingActivity] = useState<Activity | 'new' | null>(null);
  const [editingProcessor, setEditingProcessor] = useState<Processor | 'new' | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.dpo.registers.pathKey() });
  const exportFile = useStepUpMutation(trpc.dpo.registers.export.mutationOptions());
  const removeActivity = useMutation(trpc.dpo.registers.removeActivity.mutationOptions());
  const removeProcessor = useMutation(trpc.dpo.registers.removeProcessor.mutationOptions());

  const runExport = (register: 'activities' | 'processors', format: 'csv' | 'pdf') =>
    exportFile.mutate(
      { register, format },
      {
        onSuccess: (file) => {
          const [stem, extension] = [file.fileName.replace(/\.(csv|pdf)$/, ''), format];
          const blob = file.csv !== null ? new Blob([file.csv], { type: 'text/csv;charset=utf-8' }) : new Blob([base64ToBytes(file.pdfBase64 ?? '')], { type: 'application/pdf' });
          const fileName = safeFileName(stem, extension);
          downloadBlob(blob, fileName);
          notifications.show({ color: 'teal', message: t('dpoReport.registers.exported', { fileName }) });
        },
        onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
      },
    );

  const confirmRemove = (name: string, remove: () => void) => {
    if (window.confirm(t('dpoReport.registers.removeConfirm', { name }))) remove();
  };
  const removed = {
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('dpoReport.registers.removed') });
      void refresh();
    },
    onError: (error: unknown) => notifications.show({ color: 'red', message: translateCode(fieldErrorMessages(error, {})[''] ?? '', {}, errorText(error)) }),
  };

  const exportButtons = (register: 'activities' | 'processors') => (
    <Group gap="xs">
      <Button variant="light" onClick={() => runExport(register, 'csv')} loading={exportFile.isPending && exportFile.variables?.register === register && exportFile.variables.format === 'csv'}>
        {t('dpoReport.registers.exportCsv')}
      </Button>
      <Button variant="light" onClick={() => runExport(register, 'pdf')} loading={exportFile.isPending && exportFile.variables?.register === register && exportFile.variables.format === 'pdf'}>
        {t('dpoReport.registers.exportPdf')}
      </Button>
    </Group>
  );

  const processorNames = new Map((registers.data?.processors ?? []).map((processor) => [processor.id, processor.name]));

  return (
    <Stack gap="md" data-testid="registers-page">
      <Title order={2}>{t('dpoReport.registers.title')}</Title>
      <Text c="dimmed">{t('dpoReport.registers.intro')}</Text>
      {registers.isPending && <Loader size="sm" aria-label={t('dpoReport.loading')} />}
      {registers.error && <Alert color="red">{errorText(registers.error)}</Alert>}
      {registers.data && (
        <Tabs value={tab} onChange={setTab}>
          <Tabs.List>
            <Tabs.Tab value="activities">{t('dpoReport.registers.activitiesTab')}</Tabs.Tab>
            <Tabs.Tab value="processors">{t('dpoReport.registers.processorsTab')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="activities" pt="md">
            <Stack gap="sm">
              <Group justify="space-between">
                <Button onClick={() => setEditingActivity('new')}>{t('dpoReport.registers.newActivity')}</Button>
                {exportButtons('activities')}
              </Group>
              {registers.data.activities.length === 0 ? (
                <Text>{t('dpoReport.registers.empty')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={900}>
                  <Table striped aria-label={t('dpoReport.registers.activitiesTable')} data-testid="activities-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('dpoReport.registers.activity.name')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.activity.purpose')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.activity.legalBases')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.activity.retention')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.activity.processors')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.updated')}</Table.Th>
                        <Table.Th scope="col">
                          <VisuallyHidden>{t('dpoReport.registers.edit')}</VisuallyHidden>
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {registers.data.activities.map((activity) => (
                        <Table.Tr key={activity.id}>
                          <Table.Td fw={500}>{activity.name}</Table.Td>
                          <Table.Td>{activity.purpose}</Table.Td>
                          <Table.Td>
                            {activity.legalBases.map(legalBasisLabel).join('; ')}
                            {activity.legalBasisLaw ? <Text size="sm" c="dimmed">{activity.legalBasisLaw}</Text> : null}
                          </Table.Td>
                          <Table.Td>{activity.retention}</Table.Td>
                          <Table.Td>{activity.processorIds.map((id) => processorNames.get(id) ?? id).join(', ') || '—'}</Table.Td>
                          <Table.Td>{formatDateTime(activity.updatedAt)}</Table.Td>
                          <Table.Td>
                            <RowActions name={activity.name} onEdit={() => setEditingActivity(activity)} onRemove={() => confirmRemove(activity.name, () => removeActivity.mutate({ activityId: activity.id, version: activity.version }, removed))} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="processors" pt="md">
            <Stack gap="sm">
              <Group justify="space-between">
                <Button onClick={() => setEditingProcessor('new')}>{t('dpoReport.registers.newProcessor')}</Button>
                {exportButtons('processors')}
              </Group>
              {registers.data.processors.length === 0 ? (
                <Text>{t('dpoReport.registers.empty')}</Text>
              ) : (
                <Table.ScrollContainer minWidth={800}>
                  <Table striped aria-label={t('dpoReport.registers.processorsTable')} data-testid="processors-table">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th scope="col">{t('dpoReport.registers.processor.name')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.processor.service')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.processor.country')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.processor.agreementDate')}</Table.Th>
                        <Table.Th scope="col">{t('dpoReport.registers.processor.contact')}</Table.Th>
                        <Table.Th scope="col">
                          <VisuallyHidden>{t('dpoReport.registers.edit')}</VisuallyHidden>
                        </Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {registers.data.processors.map((processor) => (
                        <Table.Tr key={processor.id}>
                          <Table.Td fw={500}>{processor.name}</Table.Td>
                          <Table.Td>{processor.service}</Table.Td>
                          <Table.Td>
                            {processor.country}{' '}
                            <Badge variant="light" color={processor.isOutsideEea ? 'orange' : 'teal'}>
                              {processor.isOutsideEea ? t('dpoReport.registers.outsideEea') : t('dpoReport.registers.insideEea')}
                            </Badge>
                            {processor.transferBasis ? <Text size="sm">{translateCode(`dpoReport.registers.transferBasis.${processor.transferBasis}`, {}, processor.transferBasis)}</Text> : null}
                          </Table.Td>
                          <Table.Td>{processor.agreementDate ? formatCalendarDate(processor.agreementDate) : t('dpoReport.registers.noAgreement')}</Table.Td>
                          <Table.Td>{processor.contact ?? '—'}</Table.Td>
                          <Table.Td>
                            <RowActions name={processor.name} onEdit={() => setEditingProcessor(processor)} onRemove={() => confirmRemove(processor.name, () => removeProcessor.mutate({ processorId: processor.id, version: processor.version }, removed))} />
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          </Tabs.Panel>
        </Tabs>
      )}
      {editingActivity !== null && registers.data && (
        <ActivityModal activity={editingActivity === 'new' ? undefined : editingActivity} processors={registers.data.processors} onClose={() => setEditingActivity(null)} onSaved={() => void refresh()} />
      )}
      {editingProcessor !== null && <ProcessorModal processor={editingProcessor === 'new' ? undefined : editingProcessor} onClose={() => setEditingProcessor(null)} onSaved={() => void refresh()} />}
    </Stack>
  );
}

interface ActivityValues {
  name: string;
  purpose: string;
  legalBases: string[];
  legalBasisLaw: string;
  dataCategories: string;
  dataSubjects: string;
  retention: string;
  recipients: string;
  securityMeasures: string;
  processorIds: string[];
}

const activityInput = (values: ActivityValues) => ({ ...values, legalBases: values.legalBases as LegalBasisCode[] });

/** A register row's edit and remove buttons, named after the entry for screen readers. */
function RowActions({ name, onEdit, onRemove }: { name: string; onEdit: () => void; onRemove: () => void }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Button size="xs" variant="subtle" onClick={onEdit} aria-label={t('dpoReport.registers.editNamed', { name })}>
        {t('dpoReport.registers.edit')}
      </Button>
      <Button size="xs" variant="subtle" color="red" aria-label={t('dpoReport.registers.removeNamed', { name })} onClick={onRemove}>
        {t('dpoReport.registers.remove')}
      </Button>
    </Group>
  );
}

function ActivityModal({ activity, processors, onClose, onSaved }: { activity: Activity | undefined; processors: Processor[]; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const isNew = activity === undefined;
  const labels: Record<string, string> = Object.fromEntries(
    ['name', 'purpose', 'legalBases', 'legalBasisLaw', 'dataCategories', 'dataSubjects', 'retention', 'recipients', 'securityMeasures', 'processorIds'].map((field) => [
      field,
      t(`dpoReport.registers.activity.${field === 'processorIds' ? 'processors' : field}` as 'dpoReport.registers.activity.name'),
    ]),
  );
  const form = useForm<ActivityValues>({
    mode: 'controlled',
    initialValues: {
      name: activity?.name ?? '',
      purpose: activity?.purpose ?? '',
      legalBases: activity?.legalBases ?? [],
      legalBasisLaw: activity?.legalBasisLaw ?? '',
      dataCategories: activity?.dataCategories ?? '',
      dataSubjects: activity?.dataSubjects ?? '',
      retention: activity?.retention ?? '',
      recipients: activity?.recipients ?? '',
      securityMeasures: activity?.securityMeasures ?? '',
      processorIds: activity?.processorIds ?? [],
    },
    validate: isNew
      ? schemaValidator(createActivitySchema, labels, activityInput)
      : schemaValidator(updateActivitySchema, labels, (values: ActivityValues) => ({ activityId: activity.id, version: activity.version, ...activityInput(values) })),
  });
  const options = { onError: (error: unknown) => form.setErrors(fieldErrorMessages(error, labels)) };
  const create = useMutation(trpc.dpo.registers.createActivity.mutationOptions(options));
  const update = useMutation(trpc.dpo.registers.updateActivity.mutationOptions(options));
  const mutation = isNew ? create : update;
  const done = () => {
    notifications.show({ color: 'teal', message: t('dpoReport.registers.saved') });
    onSaved();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    if (isNew) create.mutate(activityInput(values), { onSuccess: done });
    else update.mutate({ activityId: activity.id, version: activity.version, ...activityInput(values) }, { onSuccess: done });
  });
  return (
    <Modal opened onClose={onClose} title={isNew ? t('dpoReport.registers.activity.newTitle') : t('dpoReport.registers.activity.editTitle')} size="xl" closeButtonProps={{ 'aria-label': t('dpoReport.registers.cancel') }} data-testid="activity-form">
      <form onSubmit={(event: FormEvent<HTMLFormElement>) => submit(event)} noValidate>
        <Stack gap="sm">
          <TextInput label={labels.name} required autoComplete="off" {...form.getInputProps('name')} />
          <Textarea label={labels.purpose} required autosize minRows={2} {...form.getInputProps('purpose')} />
          <MultiSelect label={labels.legalBases} required data={LEGAL_BASIS_CODES.map((code) => ({ value: code, label: legalBasisLabel(code) }))} {...form.getInputProps('legalBases')} />
          <TextInput label={labels.legalBasisLaw} description={t('dpoReport.registers.activity.legalBasisLawHint')} autoComplete="off" {...form.getInputProps('legalBasisLaw')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Textarea label={labels.dataCategories} required autosize minRows={2} {...form.getInputProps('dataCategories')} />
            <Textarea label={labels.dataSubjects} required autosize minRows={2} {...form.getInputProps('dataSubjects')} />
          </SimpleGrid>
          <Textarea label={labels.retention} required autosize minRows={2} {...form.getInputProps('retention')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Textarea label={labels.recipients} autosize minRows={2} {...form.getInputProps('recipients')} />
            <Textarea label={labels.securityMeasures} autosize minRows={2} {...form.getInputProps('securityMeasures')} />
          </SimpleGrid>
          <MultiSelect label={labels.processorIds} data={processors.map((processor) => ({ value: processor.id, label: processor.name }))} {...form.getInputProps('processorIds')} />
          {mutation.error && !Object.keys(form.errors).length && <Alert color="red">{errorText(mutation.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('dpoReport.registers.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('dpoReport.registers.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

interface ProcessorValues {
  name: string;
  service: string;
  country: string;
  transferBasis: string;
  agreementDate: string;
  contact: string;
}

const processorInput = (values: ProcessorValues) => ({
  name: values.name,
  service: values.service,
  country: values.country,
  transferBasis: values.transferBasis === '' ? null : (values.transferBasis as TransferBasisCode),
  agreementDate: values.agreementDate === '' ? null : values.agreementDate,
  contact: values.contact,
});

function ProcessorModal({ processor, onClose, onSaved }: { processor: Processor | undefined; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const isNew = processor === undefined;
  const labels: Record<string, string> = Object.fromEntries(
    ['name', 'service', 'country', 'transferBasis', 'agreementDate', 'contact'].map((field) => [field, t(`dpoReport.registers.processor.${field}` as 'dpoReport.registers.processor.name')]),
  );
  const form = useForm<ProcessorValues>({
    mode: 'controlled',
    initialValues: {
      name: processor?.name ?? '',
      service: processor?.service ?? '',
      country: processor?.country ?? 'NO',
      transferBasis: processor?.transferBasis ?? '',
      agreementDate: processor?.agreementDate ?? '',
      contact: processor?.contact ?? '',
    },
    validate: isNew
      ? schemaValidator(createProcessorSchema, labels, processorInput)
      : schemaValidator(updateProcessorSchema, labels, (values: ProcessorValues) => ({ processorId: processor.id, version: processor.version, ...processorInput(values) })),
  });
  const options = { onError: (error: unknown) => form.setErrors(fieldErrorMessages(error, labels)) };
  const create = useMutation(trpc.dpo.registers.createProcessor.mutationOptions(options));
  const update = useMutation(trpc.dpo.registers.updateProcessor.mutationOptions(options));
  const mutation = isNew ? create : update;
  const done = () => {
    notifications.show({ color: 'teal', message: t('dpoReport.registers.saved') });
    onSaved();
    onClose();
  };
  const submit = form.onSubmit((values) => {
    if (isNew) create.mutate(processorInput(values), { onSuccess: done });
    else update.mutate({ processorId: processor.id, version: processor.version, ...processorInput(values) }, { onSuccess: done });
  });
  return (
    <Modal opened onClose={onClose} title={isNew ? t('dpoReport.registers.processor.newTitle') : t('dpoReport.registers.processor.editTitle')} size="lg" closeButtonProps={{ 'aria-label': t('dpoReport.registers.cancel') }} data-testid="processor-form">
      <form onSubmit={(event: FormEvent<HTMLFormElement>) => submit(event)} noValidate>
        <Stack gap="sm">
          <TextInput label={labels.name} required autoComplete="off" {...form.getInputProps('name')} />
          <Textarea label={labels.service} required autosize minRows={2} {...form.getInputProps('service')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.country} description={t('dpoReport.registers.processor.countryHint')} required maxLength={2} autoComplete="off" {...form.getInputProps('country')} />
            <NativeSelect
              label={labels.transferBasis}
              description={t('dpoReport.registers.processor.transferBasisHint')}
              data={[{ value: '', label: t('dpoReport.registers.processor.noTransferBasis') }, ...TRANSFER_BASES.map((code) => ({ value: code, label: translateCode(`dpoReport.registers.transferBasis.${code}`, {}, code) }))]}
              {...form.getInputProps('transferBasis')}
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={labels.agreementDate} type="date" {...form.getInputProps('agreementDate')} />
            <TextInput label={labels.contact} autoComplete="off" {...form.getInputProps('contact')} />
          </SimpleGrid>
          {mutation.error && !Object.keys(form.errors).length && <Alert color="red">{errorText(mutation.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('dpoReport.registers.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('dpoReport.registers.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
