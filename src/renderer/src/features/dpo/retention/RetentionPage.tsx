import { Alert, Button, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type RetentionDaysField, updateRetentionScheduleSchema } from '../../../../../shared/dpo-report-schemas';
import { formatDateTime } from '../../../lib/format';
import { errorText, fieldErrorMessages, issueMessages, translateCode } from '../../../lib/translate';
import type { RouterOutputs } from '../../../lib/api-types';
import { useTRPC } from '../../../lib/trpc';

type AuditLogRetention = RouterOutputs['retention']['dryRun']['auditLog'];

/**
 * DPO-6: the audit log's months past ten years that are kept for now (and why), and the months
 * removed with how many of this organisation's events.
 */
function AuditLogRetirements({ auditLog }: { auditLog: AuditLogRetention }) {
  const { t } = useTranslation();
  return (
    <>
      {auditLog.held.length > 0 && (
        <Stack gap={4} data-testid="audit-log-held">
          <Title order={4}>{t('dpoReport.retention.auditLog.heldTitle')}</Title>
          {auditLog.held.map((entry) => (
            <Text key={entry.month} size="sm">
              {t('dpoReport.retention.auditLog.held', { month: entry.month, reason: translateCode(`dpoReport.retention.auditLog.reasons.${entry.reason ?? ''}`, {}, entry.reason ?? '') })}
            </Text>
          ))}
        </Stack>
      )}
      {auditLog.retired.length > 0 && (
        <>
          <Title order={4}>{t('dpoReport.retention.auditLog.retiredTitle')}</Title>
          <Table aria-label={t('dpoReport.retention.auditLog.retiredTable')} data-testid="audit-log-retired">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpoReport.retention.auditLog.month')}</Table.Th>
                <Table.Th scope="col">{t('dpoReport.retention.auditLog.events')}</Table.Th>
                <Table.Th scope="col">{t('dpoReport.retention.auditLog.retiredAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {auditLog.retired.map((entry) => (
                <Table.Tr key={`${entry.month}-${entry.retiredAt}`}>
                  <Table.Td>{entry.month}</Table.Td>
                  <Table.Td>{entry.events}</Table.Td>
                  <Table.Td>{formatDateTime(entry.retiredAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </>
  );
}

/**
 * DPO-6: the retention schedule. The organisation's editable periods (days, within the bounds the
 * server holds too), the periods the law fixes (read-only), the dry run of the next run (due per
 * category and the oldest due), and what the last runs did in this organisation.
 */
export function RetentionPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const schedule = useQuery(trpc.retention.schedule.queryOptions(undefined, { staleTime: 0 }));
  const dryRun = useQuery(trpc.retention.dryRun.queryOptions(undefined, { staleTime: 0 }));
  const runs = useQuery(trpc.retention.runs.queryOptions(undefined, { staleTime: 0 }));
  // What the DPO has typed; a field not touched shows the saved number.
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const valueOf = (entry: { field: string; days: number }) => edits[entry.field] ?? String(entry.days);

  const labels: Record<string, string> = Object.fromEntries((schedule.data?.editable ?? []).map((entry) => [entry.field, t(`dpoReport.retention.field.${entry.field}`)]));
  const update = useMutation(
    trpc.retention.updateSchedule.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoReport.retention.saved') });
        setEdits({});
        void queryClient.invalidateQueries({ queryKey: trpc.retention.pathKey() });
      },
      onError: (error) => setErrors(fieldErrorMessages(error, labels)),
    }),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = Object.fromEntries(
      (schedule.data?.editable ?? []).map((entry) => {
        const value = valueOf(entry).trim();
        return [entry.field, value === '' ? Number.NaN : Number(value)];
      }),
    );
    const parsed = updateRetentionScheduleSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setErrors({});
    update.mutate(parsed.data);
  };

  const categoryName = (name: string) => translateCode(`dpoReport.retention.categoryName.${name}`, {}, name);

  return (
    <Stack gap="md" data-testid="retention-page">
      <Title order={2}>{t('dpoReport.retention.title')}</Title>
      <Text c="dimmed">{t('dpoReport.retention.intro')}</Text>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3}>{t('dpoReport.retention.scheduleTitle')}</Title>
          {schedule.isPending && <Loader size="sm" aria-label={t('dpoReport.loading')} />}
          {schedule.error && <Alert color="red">{errorText(schedule.error)}</Alert>}
          {schedule.data && (
            <form onSubmit={submit} noValidate>
              <Stack gap="sm">
                {schedule.data.editable.map((entry) => (
                  <TextInput
                    key={entry.field}
                    label={labels[entry.field]}
                    description={t('dpoReport.retention.bounds', { min: entry.min, max: entry.max })}
                    inputMode="numeric"
                    value={valueOf(entry)}
                    onChange={(event) => {
                      const value = event.currentTarget.value;
                      setEdits((current) => ({ ...current, [entry.field as RetentionDaysField]: value }));
                    }}
                    error={errors[entry.field]}
                    maw={520}
                    data-testid={`retention-days-${entry.field}`}
                  />
                ))}
                <Group>
                  <Button type="submit" loading={update.isPending}>
                    {t('dpoReport.retention.save')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
          {schedule.data && (
            <>
              <Title order={4}>{t('dpoReport.retention.fixedTitle')}</Title>
              <Table aria-label={t('dpoReport.retention.fixedTitle')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('dpoReport.retention.category')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.retention.period')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.retention.runsAs')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {schedule.data.fixed.map((entry) => (
                    <Table.Tr key={entry.code} data-testid={`retention-fixed-${entry.code}`}>
                      <Table.Td>{translateCode(`dpoReport.retention.fixed.${entry.code}`, {}, entry.code)}</Table.Td>
                      <Table.Td>{entry.years === null ? t('dpoReport.retention.noFixedPeriod') : t('dpoReport.retention.years', { count: entry.years })}</Table.Td>
                      <Table.Td>{entry.runsAs === null ? t('dpoReport.retention.notRun') : t('dpoReport.retention.runsAsCategory', { category: categoryName(entry.runsAs) })}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3}>{t('dpoReport.retention.dryRunTitle')}</Title>
            <Button variant="light" onClick={() => void dryRun.refetch()} loading={dryRun.isFetching}>
              {t('dpoReport.retention.refresh')}
            </Button>
          </Group>
          {dryRun.error && <Alert color="red">{errorText(dryRun.error)}</Alert>}
          {dryRun.data && (
            <>
              <Table aria-label={t('dpoReport.retention.dryRunTable')} data-testid="retention-dry-run">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('dpoReport.retention.category')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.retention.due')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.retention.oldestDue')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {dryRun.data.categories.map((category) => (
                    <Table.Tr key={category.name}>
                      <Table.Td>
                        <Text fw={500}>{categoryName(category.name)}</Text>
                        <Text size="sm" c="dimmed">
                          {translateCode(category.descriptionKey, {}, '')}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{category.due}</Text>
                        {category.warnings && (
                          <Text size="sm" data-testid={`retention-warnings-${category.name}`}>
                            {t('dpoReport.retention.warnDue', { count: category.warnings.due })}
                          </Text>
                        )}
                        {category.kept
                          ?.filter((kept) => kept.count > 0)
                          .map((kept) => (
                            <Text key={kept.reasonKey} size="sm">
                              {t('dpoReport.retention.kept', { count: kept.count, reason: translateCode(kept.reasonKey, {}, '') })}
                            </Text>
                          ))}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{category.oldestDueAt ? formatDateTime(category.oldestDueAt) : t('dpoReport.retention.nothingDue')}</Text>
                        {category.warnings?.oldestDueAt && <Text size="sm">{t('dpoReport.retention.warnOldest', { time: formatDateTime(category.warnings.oldestDueAt) })}</Text>}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                  {/* The audit log is not a registry category (whole months, for every organisation; see the server's retentionDryRun). */}
                  <Table.Tr data-testid="retention-dry-run-audit-log">
                    <Table.Td>
                      <Text fw={500}>{t('dpoReport.retention.auditLog.name')}</Text>
                      <Text size="sm" c="dimmed">
                        {t('dpoReport.retention.auditLog.description')}
                      </Text>
                    </Table.Td>
                    <Table.Td>{dryRun.data.auditLog.due}</Table.Td>
                    <Table.Td>{dryRun.data.auditLog.oldestDueAt ? formatDateTime(dryRun.data.auditLog.oldestDueAt) : t('dpoReport.retention.nothingDue')}</Table.Td>
                  </Table.Tr>
                </Table.Tbody>
              </Table>
              <Text size="sm" c="dimmed">
                {t('dpoReport.retention.checkedAt', { time: formatDateTime(dryRun.data.checkedAt) })}
              </Text>
              <AuditLogRetirements auditLog={dryRun.data.auditLog} />
            </>
          )}
        </Stack>
      </Paper>

      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={3}>{t('dpoReport.retention.runsTitle')}</Title>
          {runs.error && <Alert color="red">{errorText(runs.error)}</Alert>}
          {runs.data && runs.data.length === 0 && <Text>{t('dpoReport.retention.noRuns')}</Text>}
          {runs.data && runs.data.length > 0 && (
            <Table aria-label={t('dpoReport.retention.runsTable')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('dpoReport.retention.runAt')}</Table.Th>
                  <Table.Th scope="col">{t('dpoReport.retention.finishedAt')}</Table.Th>
                  <Table.Th scope="col">{t('dpoReport.retention.status')}</Table.Th>
                  <Table.Th scope="col">{t('dpoReport.retention.anonymised')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {runs.data.map((run) => (
                  <Table.Tr key={run.id}>
                    <Table.Td>{formatDateTime(run.runAt)}</Table.Td>
                    <Table.Td>{run.finishedAt ? formatDateTime(run.finishedAt) : '—'}</Table.Td>
                    <Table.Td>{translateCode(`dpoReport.retention.runStatus.${run.status}`, {}, run.status)}</Table.Td>
                    <Table.Td>
                      {run.anonymised.length === 0 ? '0' : run.anonymised.map((entry) => `${categoryName(entry.category)}: ${entry.count}`).join(', ')}
                      {run.warned.length > 0 && (
                        <Text size="sm">{t('dpoReport.retention.warnedInRun', { list: run.warned.map((entry) => `${categoryName(entry.category)}: ${entry.count}`).join(', ') })}</Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
