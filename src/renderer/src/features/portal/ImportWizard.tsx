import { Alert, Badge, Button, FileInput, Group, Loader, Modal, NativeSelect, Pagination, Progress, SimpleGrid, Stack, Stepper, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../../../shared/api-errors';
import { EMPLOYEE_IMPORT_FIELD_KEYS, type EmployeeColumnMapping, IMPORT_CHUNK_BYTES, IMPORT_MAX_FILE_BYTES } from '../../../../shared/portal-schemas';
import { downloadBlob, safeFileName } from '../../lib/download';
import { fieldErrorMessages, translateCode, translateFieldError } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useStepUpMutation } from '../auth/step-up';
import {
  assignColumn,
  type ColumnMapping,
  type ImportStep,
  initialMapping,
  mappingIssues,
  percent,
  stepOfStatus,
  uploadInChunks,
} from './import-upload';
import { paginationLabels } from './pagination-labels';
import { portalErrorText } from './portal-errors';
import type { ImportInspection, ImportPreviewRow, ImportStatus } from './types';

const STEPS: readonly ImportStep[] = ['file', 'mapping', 'validation', 'commit'];
const PREVIEW_PAGE_SIZE = 50;
const POLL_MS = 500;
/** States in which a reload brings the wizard back to the import (the file is on the server by then). */
const RESUMABLE = new Set(['validating', 'ready', 'committing']);

type FieldKey = (typeof EMPLOYEE_IMPORT_FIELD_KEYS)[number];

interface WizardState {
  importId: string | null;
  step: ImportStep;
  /** What the upload's inspection found (only known in the opening that uploaded the file). */
  inspection: ImportInspection | null;
}
const START: WizardState = { importId: null, step: 'file', inspection: null };

const OUTCOME_COLOUR = { create: 'teal', update: 'blue', skip: 'gray', error: 'red' } as const;

function useFieldLabels(): Record<FieldKey, string> {
  const { t } = useTranslation();
  return {
    fullName: t('portal.employeeForm.fullName'),
    nationalId: t('portal.employeeForm.nationalId'),
    phone: t('portal.employeeForm.phone'),
    email: t('portal.employeeForm.email'),
  };
}

/** The job's progress as a whole percentage, when the server knows it (a share 0…1); else unknown. */
function jobPercent(status: ImportStatus): number | null {
  return status.progress === null || !Number.isFinite(status.progress) ? null : percent(status.progress, 1);
}

/** A progress bar with its name (for the e2e and screen readers) and what it has done in words. */
function ImportProgress({ label, value, text, testId }: { label: string; value: number | null; text: string; testId: string }) {
  return (
    <Stack gap={4} data-testid={testId}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Text size="sm" c="dimmed" aria-live="polite">
          {text}
        </Text>
      </Group>
      <Progress.Root size="lg">
        {value === null ? (
          // Unknown total: an indeterminate bar (no aria-valuenow), its progress said in words.
          <Progress.Section value={100} animated withAria={false} role="progressbar" aria-label={label} aria-valuetext={text} />
        ) : (
          <Progress.Section value={value} aria-label={label} />
        )}
      </Progress.Root>
    </Stack>
  );
}

/**
 * CRM-4: import a customer's employees from a CSV file, in four steps: upload (in chunks, with a
 * progress bar) → column mapping (suggested from the header; encoding, separator and sample rows
 * shown) → validation as a server job, then the paged preview with each row's outcome and errors →
 * commit as a server job, then the result and the rejected rows as a CSV. The job's state is the
 * server's: on opening, the newest unfinished import of the customer is resumed at its step.
 */
export function ImportWizard({ companyId, opened, onClose }: { companyId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // What the user did in this opening of the wizard; null until then, when the wizard shows the
  // customer's unfinished import (if any) at its step — so a reload resumes where the job is.
  const [chosen, setChosen] = useState<WizardState | null>(null);
  const latest = useQuery({ ...trpc.portal.import.latest.queryOptions({ companyId }), enabled: opened && chosen === null, staleTime: 0 });
  const resumable = latest.data && RESUMABLE.has(latest.data.status) ? latest.data : null;
  const state: WizardState = chosen ?? (resumable ? { importId: resumable.importId, step: stepOfStatus(resumable.status), inspection: null } : START);
  const { importId, step, inspection } = state;
  const cancel = useMutation(trpc.portal.import.cancel.mutationOptions());

  const refreshEmployees = () => queryClient.invalidateQueries({ queryKey: trpc.portal.employees.queryKey() });
  const refreshLatest = () => queryClient.invalidateQueries({ queryKey: trpc.portal.import.latest.queryKey({ companyId }) });
  const moveTo = (next: Partial<WizardState>) => setChosen({ ...state, ...next });
  const restart = () => {
    setChosen(START);
    void refreshLatest();
  };

  const close = () => {
    // An upload not yet sent to validation cannot be resumed after a reload: drop it (and its bytes) now.
    if (importId && (step === 'file' || step === 'mapping')) cancel.mutate({ importId });
    setChosen(null);
    void refreshLatest();
    onClose();
  };

  const cancelImport = () => {
    if (!importId) return;
    cancel.mutate(
      { importId },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('portal.import.cancelled') });
          restart();
        },
        onError: (error) => notifications.show({ color: 'red', message: portalErrorText(error) }),
      },
    );
  };

  const isResuming = opened && chosen === null && latest.isPending;

  return (
    <Modal opened={opened} onClose={close} title={t('portal.import.title')} size="xl" closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="import-wizard">
      {isResuming ? (
        <Loader size="sm" aria-label={t('portal.import.title')} />
      ) : (
        <Stepper active={STEPS.indexOf(step)} size="sm" allowNextStepsSelect={false}>
          <Stepper.Step label={t('portal.import.steps.file')} description={t('portal.import.steps.fileDescription')}>
            {step === 'file' && (
              <FileStep
                companyId={companyId}
                onCreated={(id) => moveTo({ importId: id })}
                onUploaded={(id, found) => setChosen({ importId: id, step: 'mapping', inspection: found })}
                onClose={close}
              />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('portal.import.steps.mapping')} description={t('portal.import.steps.mappingDescription')}>
            {step === 'mapping' && importId && inspection && (
              <MappingStep importId={importId} inspection={inspection} onValidating={() => moveTo({ step: 'validation' })} onCancel={cancelImport} isCancelling={cancel.isPending} />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('portal.import.steps.validation')} description={t('portal.import.steps.validationDescription')}>
            {step === 'validation' && importId && (
              <ValidationStep importId={importId} onCommitting={() => moveTo({ step: 'commit' })} onCancel={cancelImport} isCancelling={cancel.isPending} onRestart={restart} />
            )}
          </Stepper.Step>
          <Stepper.Step label={t('portal.import.steps.commit')} description={t('portal.import.steps.commitDescription')}>
            {step === 'commit' && importId && <CommitStep importId={importId} onDone={() => void refreshEmployees()} onRestart={restart} onClose={close} />}
          </Stepper.Step>
        </Stepper>
      )}
    </Modal>
  );
}

// ---------------------------------------------------------------------------------------------
// 1. The file
// ---------------------------------------------------------------------------------------------

function FileStep({
  companyId,
  onUploaded,
  onCreated,
  onClose,
}: {
  companyId: string;
  onUploaded: (importId: string, inspection: ImportInspection) => void;
  onCreated: (importId: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | undefined>();
  const [sentBytes, setSentBytes] = useState<number | null>(null);
  const [isInspecting, setIsInspecting] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const create = useMutation(trpc.portal.import.create.mutationOptions());
  // gcTime 0: each chunk's base64 leaves memory as soon as it is sent, not minutes later.
  const uploadChunk = useMutation({ ...trpc.portal.import.uploadChunk.mutationOptions(), gcTime: 0 });
  const inspect = useMutation(trpc.portal.import.inspect.mutationOptions());
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const isBusy = sentBytes !== null || isInspecting;

  const start = async () => {
    if (!file) {
      setFileError(t('portal.import.fileRequired'));
      return;
    }
    if (file.size > IMPORT_MAX_FILE_BYTES) {
      setFileError(t('portal.import.fileTooLarge', { megabytes: Math.floor(IMPORT_MAX_FILE_BYTES / (1024 * 1024)) }));
      return;
    }
    setFailure(null);
    abort.current = new AbortController();
    setSentBytes(0);
    try {
      const { importId } = await create.mutateAsync({ companyId, fileName: file.name.slice(0, 255), byteSize: file.size });
      onCreated(importId);
      await uploadInChunks(file, IMPORT_CHUNK_BYTES, (index, data) => uploadChunk.mutateAsync({ importId, index, data }), setSentBytes, abort.current.signal);
      setSentBytes(null);
      setIsInspecting(true);
      onUploaded(importId, await inspect.mutateAsync({ importId }));
    } catch (error) {
      if (!abort.current.signal.aborted) setFailure(error);
    } finally {
      setSentBytes(null);
      setIsInspecting(false);
    }
  };

  const createErrors = fieldErrorMessages(create.error, { fileName: t('portal.import.file'), byteSize: t('portal.import.file') });

  return (
    <Stack gap="sm" mt="md">
      <FileInput
        label={t('portal.import.file')}
        description={t('portal.import.fileHint')}
        placeholder={t('portal.import.filePlaceholder')}
        accept=".csv,text/csv"
        // The native input stays hidden behind Mantine's button: a test id lets a test hand it a file.
        fileInputProps={{ 'data-testid': 'csv-file-input' } as React.ComponentProps<'input'>}
        clearable
        value={file}
        disabled={isBusy}
        onChange={(chosen) => {
          setFile(chosen);
          setFileError(undefined);
          setFailure(null);
        }}
        error={fileError ?? createErrors.fileName ?? createErrors.byteSize}
      />
      {sentBytes !== null && file && (
        <ImportProgress
          label={t('portal.import.uploadProgress')}
          value={percent(sentBytes, file.size)}
          text={t('portal.import.uploaded', { sent: Math.round(sentBytes / 1024), total: Math.max(1, Math.round(file.size / 1024)) })}
          testId="upload-progress"
        />
      )}
      {isInspecting && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('portal.import.reading')}</Text>
        </Group>
      )}
      {failure !== null && (
        <Alert color="red" role="alert">
          {portalErrorText(failure)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('portal.import.close')}
        </Button>
        <Button onClick={() => void start()} loading={isBusy}>
          {t('portal.import.upload')}
        </Button>
      </Group>
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------
// 2. The column mapping
// ---------------------------------------------------------------------------------------------

function separatorName(separator: string): 'semicolon' | 'comma' | 'tab' {
  return separator === ';' ? 'semicolon' : separator === ',' ? 'comma' : 'tab';
}

function toEmployeeMapping(mapping: ColumnMapping): EmployeeColumnMapping {
  return {
    fullName: mapping.fullName ?? null,
    nationalId: mapping.nationalId ?? null,
    phone: mapping.phone ?? null,
    email: mapping.email ?? null,
  };
}

function MappingStep({
  importId,
  inspection,
  onValidating,
  onCancel,
  isCancelling,
}: {
  importId: string;
  inspection: ImportInspection;
  onValidating: () => void;
  onCancel: () => void;
  isCancelling: boolean;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const labels = useFieldLabels();
  const fields = inspection.fields;
  const [mapping, setMapping] = useState<ColumnMapping>(() => initialMapping(fields, inspection.suggestedMapping, inspection.header.length));
  const [clientErrors, setClientErrors] = useState<FieldError[]>([]);
  const validate = useMutation(trpc.portal.import.validate.mutationOptions());
  const mappingLabels = Object.fromEntries(fields.map((field) => [`mapping.${field.key}`, labels[field.key]]));
  const serverErrors = fieldErrorMessages(validate.error, mappingLabels);
  const errorOf = (key: string): string | undefined => {
    const clientError = clientErrors.find((error) => error.field === `mapping.${key}`);
    return clientError ? translateFieldError(clientError, labels[key as FieldKey]) : serverErrors[`mapping.${key}`];
  };
  const columnOptions = [
    { value: '', label: t('portal.import.noColumn') },
    ...inspection.header.map((name, index) => ({ value: String(index), label: name.trim() === '' ? t('portal.import.column', { number: index + 1 }) : `${name} (${t('portal.import.column', { number: index + 1 })})` })),
  ];

  const submit = () => {
    const issues = mappingIssues(mapping, fields);
    setClientErrors(issues.map((issue) => ({ ...issue, params: {} })));
    if (issues.length > 0) return;
    validate.mutate({ importId, mapping: toEmployeeMapping(mapping) }, { onSuccess: onValidating });
  };

  return (
    <Stack gap="sm" mt="md">
      <Group gap="lg">
        <Text size="sm" data-testid="import-encoding">
          {t('portal.import.encoding')}: <strong>{t(`portal.import.encodings.${inspection.encoding}`)}</strong>
        </Text>
        <Text size="sm" data-testid="import-separator">
          {t('portal.import.separator')}: <strong>{t(`portal.import.separators.${separatorName(inspection.separator)}`)}</strong>
        </Text>
      </Group>
      <Text size="sm">{t('portal.import.mappingIntro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        {fields.map((field) => (
          <NativeSelect
            key={field.key}
            label={labels[field.key]}
            required={field.required}
            value={mapping[field.key] === null || mapping[field.key] === undefined ? '' : String(mapping[field.key])}
            data={columnOptions}
            error={errorOf(field.key)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setMapping((current) => assignColumn(current, field.key, value === '' ? null : Number(value)));
              setClientErrors([]);
              validate.reset();
            }}
          />
        ))}
      </SimpleGrid>
      <Table.ScrollContainer minWidth={560}>
        <Table fz="xs" withTableBorder data-testid="import-sample">
          <Table.Caption>{t('portal.import.sampleCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              {fields.map((field) => (
                <Table.Th key={field.key} scope="col">
                  {labels[field.key]}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {inspection.sampleRows.map((row, index) => (
              // Sample rows have no identity of their own: their place is their key.
              <Table.Tr key={index}>
                {fields.map((field) => (
                  <Table.Td key={field.key}>{row[field.key] ?? ''}</Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {validate.isError && !Object.keys(serverErrors).some((key) => key.startsWith('mapping.')) && (
        <Alert color="red" role="alert">
          {serverErrors[''] ?? portalErrorText(validate.error)}
        </Alert>
      )}
      <Group justify="space-between">
        <Button variant="subtle" color="red" onClick={onCancel} loading={isCancelling}>
          {t('portal.import.cancel')}
        </Button>
        <Button onClick={submit} loading={validate.isPending}>
          {t('portal.import.validate')}
        </Button>
      </Group>
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------
// 3. Validation and the preview
// ---------------------------------------------------------------------------------------------

/** The import's state, polled while a job works on it (the job's progress is the server's state). */
function useImportStatus(importId: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.portal.import.status.queryOptions({ importId }),
    staleTime: 0,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === undefined || status === 'validating' || status === 'committing' || status === 'uploading' ? POLL_MS : false;
    },
  });
}

function FailureAlert({ status, onRestart }: { status: ImportStatus; onRestart: () => void }) {
  const { t } = useTranslation();
  const reason = status.failureCode ? translateCode(status.failureCode, {}, t('portal.import.failedUnknown')) : t('portal.import.failedUnknown');
  return (
    <Stack gap="sm">
      <Alert color="red" role="alert" data-testid="import-failed">
        {status.status === 'cancelled' ? t('portal.import.cancelled') : t('portal.import.failed', { reason })}
      </Alert>
      <Group justify="flex-end">
        <Button onClick={onRestart}>{t('portal.import.restart')}</Button>
      </Group>
    </Stack>
  );
}

function Summary({ status }: { status: ImportStatus }) {
  const { t } = useTranslation();
  return (
    <Text fw={500} data-testid="import-summary">
      {t('portal.import.summary', { create: status.createRows ?? 0, update: status.updateRows ?? 0, skip: status.skipRows ?? 0, error: status.errorRows ?? 0 })}
    </Text>
  );
}

function ValidationStep({
  importId,
  onCommitting,
  onCancel,
  isCancelling,
  onRestart,
}: {
  importId: string;
  onCommitting: () => void;
  onCancel: () => void;
  isCancelling: boolean;
  onRestart: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const status = useImportStatus(importId);
  const commit = useMutation(trpc.portal.import.commit.mutationOptions());

  useEffect(() => {
    // Someone (another window) committed meanwhile: follow it.
    if (status.data?.status === 'committing' || status.data?.status === 'done') onCommitting();
  }, [status.data?.status, onCommitting]);

  if (status.isError) {
    return (
      <Alert color="red" role="alert" mt="md">
        {portalErrorText(status.error)}
      </Alert>
    );
  }
  if (!status.data) return <Loader size="sm" mt="md" aria-label={t('portal.import.validationProgress')} />;
  const current = status.data;
  if (current.status === 'failed' || current.status === 'cancelled') return <FailureAlert status={current} onRestart={onRestart} />;
  if (current.status !== 'ready') {
    return (
      <Stack mt="md">
        <ImportProgress
          label={t('portal.import.validationProgress')}
          value={jobPercent(current)}
          text={t('portal.import.processed', { count: current.processedRows })}
          testId="validation-progress"
        />
      </Stack>
    );
  }

  const toWrite = (current.createRows ?? 0) + (current.updateRows ?? 0);
  return (
    <Stack gap="sm" mt="md">
      <Summary status={current} />
      <PreviewTable importId={importId} />
      {commit.isError && (
        <Alert color="red" role="alert">
          {portalErrorText(commit.error)}
        </Alert>
      )}
      <Group justify="space-between">
        <Button variant="subtle" color="red" onClick={onCancel} loading={isCancelling}>
          {t('portal.import.cancel')}
        </Button>
        <Group gap="xs">
          {(current.errorRows ?? 0) > 0 && <ProblemRowsButton importId={importId} />}
          <Button onClick={() => commit.mutate({ importId }, { onSuccess: onCommitting })} loading={commit.isPending} disabled={toWrite === 0}>
            {toWrite === 0 ? t('portal.import.nothingToCommit') : t('portal.import.commit', { count: toWrite })}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}

function RowErrors({ row, labels }: { row: ImportPreviewRow; labels: Record<FieldKey, string> }) {
  const { t } = useTranslation();
  if (row.errors.length === 0) return null;
  return (
    <Stack gap={2}>
      {row.errors.map((error) => {
        const params = 'params' in error && typeof error.params === 'object' && error.params !== null ? (error.params as Record<string, number | string>) : {};
        const label = (labels as Record<string, string>)[error.field];
        return (
          <Text key={`${error.field}:${error.messageKey}`} size="xs" c="red.8">
            {label === undefined ? translateCode(error.messageKey, params, t('validation.custom', { field: t('portal.import.row') })) : translateFieldError({ field: error.field, messageKey: error.messageKey, params }, label)}
          </Text>
        );
      })}
    </Stack>
  );
}

function PreviewTable({ importId }: { importId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const labels = useFieldLabels();
  const [onlyErrors, setOnlyErrors] = useState(false);
  const [page, setPage] = useState(1);
  const preview = useQuery({
    ...trpc.portal.import.preview.queryOptions({ importId, page, pageSize: PREVIEW_PAGE_SIZE, onlyErrors }),
    placeholderData: keepPreviousData,
  });
  const pageCount = Math.max(1, Math.ceil((preview.data?.total ?? 0) / PREVIEW_PAGE_SIZE));

  return (
    <Stack gap="xs">
      <Switch
        label={t('portal.import.onlyErrors')}
        checked={onlyErrors}
        onChange={(event) => {
          setOnlyErrors(event.currentTarget.checked);
          setPage(1);
        }}
      />
      {preview.isError && (
        <Alert color="red" role="alert">
          {portalErrorText(preview.error)}
        </Alert>
      )}
      {preview.isPending && <Loader size="sm" aria-label={t('portal.import.previewCaption')} />}
      {preview.data && (
        <>
          <Table.ScrollContainer minWidth={760} mah={420}>
            <Table striped fz="xs" stickyHeader data-testid="import-preview">
              <Table.Caption>{t('portal.import.previewCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('portal.import.row')}</Table.Th>
                  {EMPLOYEE_IMPORT_FIELD_KEYS.map((key) => (
                    <Table.Th key={key} scope="col">
                      {labels[key]}
                    </Table.Th>
                  ))}
                  <Table.Th scope="col">{t('portal.import.outcome')}</Table.Th>
                  <Table.Th scope="col">{t('portal.import.rowErrors')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {preview.data.rows.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={EMPLOYEE_IMPORT_FIELD_KEYS.length + 3}>{t('portal.import.noRows')}</Table.Td>
                  </Table.Tr>
                )}
                {preview.data.rows.map((row) => (
                  <Table.Tr key={row.rowNumber} data-testid="preview-row" data-outcome={row.outcome}>
                    <Table.Th scope="row">{row.rowNumber}</Table.Th>
                    {EMPLOYEE_IMPORT_FIELD_KEYS.map((key) => (
                      <Table.Td key={key}>{row.display[key] ?? ''}</Table.Td>
                    ))}
                    <Table.Td>
                      <Badge color={OUTCOME_COLOUR[row.outcome]} variant="light">
                        {t(`portal.import.outcomes.${row.outcome}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <RowErrors row={row} labels={labels} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {pageCount > 1 && (
            <nav aria-label={t('portal.import.pages')}>
              <Pagination total={pageCount} value={Math.min(page, pageCount)} onChange={setPage} size="sm" {...paginationLabels(t)} />
            </nav>
          )}
        </>
      )}
    </Stack>
  );
}

// ---------------------------------------------------------------------------------------------
// 4. Commit and the result
// ---------------------------------------------------------------------------------------------

function CommitStep({ importId, onDone, onRestart, onClose }: { importId: string; onDone: () => void; onRestart: () => void; onClose: () => void }) {
  const { t } = useTranslation();
  const status = useImportStatus(importId);
  const current = status.data;
  const isDone = current?.status === 'done';
  // Once per import: the employee list shows the new rows.
  const hasReportedDone = useRef(false);
  useEffect(() => {
    if (!isDone || hasReportedDone.current) return;
    hasReportedDone.current = true;
    onDone();
  }, [isDone, onDone]);

  if (status.isError) {
    return (
      <Alert color="red" role="alert" mt="md">
        {portalErrorText(status.error)}
      </Alert>
    );
  }
  if (!current) return <Loader size="sm" mt="md" aria-label={t('portal.import.commitProgress')} />;
  if (current.status === 'failed' || current.status === 'cancelled') return <FailureAlert status={current} onRestart={onRestart} />;
  const toWrite = (current.createRows ?? 0) + (current.updateRows ?? 0);
  if (current.status !== 'done') {
    return (
      <Stack mt="md">
        <Summary status={current} />
        <ImportProgress
          label={t('portal.import.commitProgress')}
          value={jobPercent(current) ?? percent(current.committedRows, toWrite)}
          text={t('portal.import.committed', { count: current.committedRows, total: toWrite })}
          testId="commit-progress"
        />
      </Stack>
    );
  }
  return (
    <Stack gap="sm" mt="md">
      <Alert color="teal" title={t('portal.import.done')} data-testid="import-done">
        {t('portal.import.result', { create: current.createRows ?? 0, update: current.updateRows ?? 0, skip: current.skipRows ?? 0, error: current.errorRows ?? 0 })}
      </Alert>
      <Group justify="flex-end">
        {(current.errorRows ?? 0) > 0 && <ProblemRowsButton importId={importId} />}
        <Button variant="default" onClick={onRestart}>
          {t('portal.import.restart')}
        </Button>
        <Button onClick={onClose}>{t('portal.import.close')}</Button>
      </Group>
    </Stack>
  );
}

/**
 * The rejected rows as a CSV to fix and import again. An export of personal data: it may ask for a
 * fresh second factor (AUTH-5), and the server logs it (with the client's address) before it answers.
 */
function ProblemRowsButton({ importId }: { importId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const problemRows = useStepUpMutation({ ...trpc.portal.import.problemRows.mutationOptions(), gcTime: 0 });
  return (
    <Button
      variant="light"
      loading={problemRows.isPending}
      onClick={() =>
        problemRows.mutate(
          { importId },
          {
            onSuccess: (file) => {
              const stem = file.fileName.replace(/\.csv$/i, '');
              const fileName = safeFileName(stem || 'feilrader', 'csv');
              downloadBlob(new Blob([file.csv], { type: 'text/csv;charset=utf-8' }), fileName);
              notifications.show({ color: 'teal', message: t('portal.import.downloaded', { fileName }) });
              problemRows.reset();
            },
            onError: (error) => notifications.show({ color: 'red', message: portalErrorText(error) }),
          },
        )
      }
    >
      {t('portal.import.downloadProblems')}
    </Button>
  );
}
