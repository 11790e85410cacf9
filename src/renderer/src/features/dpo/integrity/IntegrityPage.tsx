import { Alert, Badge, Button, Card, Group, Loader, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../../lib/api-types';
import { formatDateTime } from '../../../lib/format';
import { errorText, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { useCurrentUser } from '../../auth/session-context';
import { LogExportCard } from '../exports/LogExportCard';

type Run = NonNullable<RouterOutputs['dpo']['integrity']['status']['run']>;

const isActive = (run: Run | null | undefined) => run?.status === 'queued' || run?.status === 'running';
const numberOf = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const textOf = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function problemText(progress: Record<string, unknown>, t: (key: string, options?: Record<string, unknown>) => string): string {
  const kind = textOf(progress.problemKind);
  const kindText = kind ? translateCode(`dpoIntegrity.problems.${kind}`, {}, kind) : '';
  const eventId = textOf(progress.problemEventId);
  if (eventId) return t('dpoIntegrity.brokenAtEvent', { eventId, kind: kindText });
  return t('dpoIntegrity.brokenAtSeal', { seq: textOf(progress.problemSeq) ?? '?', kind: kindText });
}

/** The witness line (ADR 0007): the latest seal, its hash prefix, and whether the witness agrees — or that there is none. */
function WitnessLine({ progress, isWitnessConfigured }: { progress: Record<string, unknown>; isWitnessConfigured: boolean }) {
  const { t } = useTranslation();
  const seq = textOf(progress.latestSealSeq);
  const hash = textOf(progress.latestSealHashPrefix);
  const witness = textOf(progress.witness) ?? (isWitnessConfigured ? null : 'not_configured');
  return (
    <Stack gap={4} data-testid="witness-line">
      <Text size="sm" fw={600}>
        {t('dpoIntegrity.witness')}
      </Text>
      <Text size="sm">{seq && hash ? t('dpoIntegrity.latestSeal', { seq, hash }) : t('dpoIntegrity.noSeal')}</Text>
      {witness === 'agrees' && <Text size="sm">{t('dpoIntegrity.witnessAgrees', { seq: textOf(progress.lastWitnessedSeq) ?? '?' })}</Text>}
      {witness === 'empty' && <Text size="sm">{t('dpoIntegrity.witnessEmpty')}</Text>}
      {witness === 'disagrees' && (
        <Text size="sm" c="red.9">
          {t('dpoIntegrity.witnessDisagrees')}
        </Text>
      )}
      {witness === 'not_configured' && <Text size="sm">{t('dpoIntegrity.witnessNotConfigured')}</Text>}
      {progress.isSealRefused === true && (
        <Text size="sm" c="red.9">
          {t('dpoIntegrity.sealRefused')}
        </Text>
      )}
    </Stack>
  );
}

function ResultCard({ run, isWitnessConfigured }: { run: Run; isWitnessConfigured: boolean }) {
  const { t } = useTranslation();
  const progress = run.progress;
  if (run.status === 'failed' || run.status === 'cancelled') {
    return (
      <Alert color="red" role="alert">
        {t('dpoIntegrity.failed', { code: run.error ?? run.status })}
      </Alert>
    );
  }
  const result = textOf(progress.result);
  if (run.status !== 'done' || !result) return null;
  const isIntact = result === 'intact';
  const pending = numberOf(progress.pendingEvents) ?? 0;
  const retired = numberOf(progress.retiredEvents) ?? 0;
  return (
    <Card withBorder padding="md" data-testid="integrity-result" data-result={result} style={{ borderColor: `var(--mantine-color-${isIntact ? 'teal' : 'red'}-7)`, borderWidth: 2 }}>
      <Stack gap="xs">
        <Title order={3} size="h4" c={isIntact ? 'teal.9' : 'red.9'}>
          {isIntact ? t('dpoIntegrity.intact') : result === 'witness_mismatch' ? t('dpoIntegrity.witnessMismatch') : t('dpoIntegrity.broken')}
        </Title>
        {isIntact ? (
          <Text size="sm">{t('dpoIntegrity.intactText', { checked: numberOf(progress.checked) ?? 0, seals: numberOf(progress.sealCount) ?? 0 })}</Text>
        ) : (
          <Text size="sm" fw={600} c="red.9">
            {problemText(progress, t as never)}
          </Text>
        )}
        {pending > 0 && <Text size="sm">{t('dpoIntegrity.pending', { count: pending })}</Text>}
        {retired > 0 && <Text size="sm">{t('dpoIntegrity.retired', { count: retired })}</Text>}
        <Text size="xs" c="dimmed">
          {formatDateTime(run.finishedAt ?? run.startedAt, { seconds: true })}
        </Text>
        <WitnessLine progress={progress} isWitnessConfigured={isWitnessConfigured} />
      </Stack>
    </Card>
  );
}

/**
 * DPO-8, AUD-4: the audit log verified from the workspace (the DPO's, and an admin's too). "Kontroller loggen nå" queues the job;
 * while it runs the status is polled every second for a progress bar (events checked / total);
 * then the result (intact in green, the first broken event in red), the witness line, and the
 * history of runs.
 */
export function IntegrityPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The log export is the DPO's alone; an admin comes here for the check only.
  const isDpo = useCurrentUser().data?.roles.includes('dpo') === true;
  const [isAlreadyRunning, setIsAlreadyRunning] = useState(false);
  const status = useQuery(trpc.dpo.integrity.status.queryOptions(undefined, { refetchInterval: (query) => (isActive(query.state.data?.run) ? 1_000 : false) }));
  const history = useQuery(trpc.dpo.integrity.latest.queryOptions(undefined, { refetchOnWindowFocus: false }));
  const start = useMutation(trpc.dpo.integrity.start.mutationOptions());
  const run = status.data?.run ?? null;
  const isRunning = isActive(run);
  const runStatus = run?.status;
  // The history is read again (and logged) once a run ends.
  useEffect(() => {
    if (runStatus === 'done' || runStatus === 'failed') void queryClient.invalidateQueries({ queryKey: trpc.dpo.integrity.latest.queryKey() });
  }, [runStatus, queryClient, trpc]);

  const checked = numberOf(run?.progress.checked) ?? 0;
  const total = numberOf(run?.progress.total);
  const percent = total && total > 0 ? Math.min(100, Math.round((checked / total) * 100)) : 0;
  const phase = textOf(run?.progress.phase);
  const isWitnessConfigured = status.data?.isWitnessConfigured ?? false;

  return (
    <Stack gap="md">
      <Title order={2}>{t('dpoIntegrity.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('dpoIntegrity.intro')}
      </Text>
      <Group>
        <Button
          onClick={() =>
            start.mutate(undefined, {
              onSuccess: (result) => {
                setIsAlreadyRunning(result.isAlreadyRunning);
                void queryClient.invalidateQueries({ queryKey: trpc.dpo.integrity.status.queryKey() });
              },
            })
          }
          loading={start.isPending}
          disabled={isRunning}
        >
          {t('dpoIntegrity.start')}
        </Button>
      </Group>
      {start.isError && (
        <Alert color="red" role="alert">
          {errorText(start.error)}
        </Alert>
      )}
      {status.isError && (
        <Alert color="red" role="alert">
          {errorText(status.error)}
        </Alert>
      )}
      {isAlreadyRunning && isRunning && <Text size="sm">{t('dpoIntegrity.alreadyRunning')}</Text>}
      {run && isRunning && (
        <Stack gap={4} data-testid="integrity-progress">
          <Progress.Root size="xl" aria-hidden={false}>
            <Progress.Section value={percent} animated aria-label={t('dpoIntegrity.progressLabel')} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} aria-valuetext={total ? t('dpoIntegrity.progress', { checked, total }) : undefined} />
          </Progress.Root>
          <Text size="sm" role="status">
            {run.status === 'queued' ? t('dpoIntegrity.queued') : phase === 'sealing' || total === null ? t('dpoIntegrity.sealing') : t('dpoIntegrity.progress', { checked, total })}
          </Text>
        </Stack>
      )}
      {run && !isRunning && <ResultCard run={run} isWitnessConfigured={isWitnessConfigured} />}
      {!run && status.data && (
        <Card withBorder padding="md">
          <WitnessLine progress={{}} isWitnessConfigured={isWitnessConfigured} />
        </Card>
      )}
      <Title order={3} size="h4">
        {t('dpoIntegrity.history')}
      </Title>
      {history.isPending && <Loader size="sm" />}
      {history.isError && (
        <Alert color="red" role="alert">
          {errorText(history.error)}
        </Alert>
      )}
      {history.data && history.data.runs.length === 0 && <Text size="sm">{t('dpoIntegrity.noHistory')}</Text>}
      {history.data && history.data.runs.length > 0 && (
        <Table striped aria-label={t('dpoIntegrity.historyLabel')} data-testid="integrity-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('dpoIntegrity.startedAt')}</Table.Th>
              <Table.Th>{t('dpoIntegrity.finishedAt')}</Table.Th>
              <Table.Th>{t('dpoIntegrity.result')}</Table.Th>
              <Table.Th>{t('dpoIntegrity.checked')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.runs.map((entry) => {
              const result = textOf(entry.progress.result);
              return (
                <Table.Tr key={entry.jobId}>
                  <Table.Td>{formatDateTime(entry.startedAt, { seconds: true })}</Table.Td>
                  <Table.Td>{entry.finishedAt ? formatDateTime(entry.finishedAt, { seconds: true }) : '—'}</Table.Td>
                  <Table.Td>
                    {result ? (
                      <Badge variant="light" color={result === 'intact' ? 'teal' : 'red'}>
                        {translateCode(`dpoIntegrity.results.${result}`, {}, result)}
                      </Badge>
                    ) : (
                      translateCode(`dpoIntegrity.status.${entry.status}`, {}, entry.status)
                    )}
                  </Table.Td>
                  <Table.Td>{numberOf(entry.progress.checked) ?? '—'}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {/* AUD-5: the log for a period as JSON lines or FHIR AuditEvents, for other tools. */}
      {isDpo && <LogExportCard />}
    </Stack>
  );
}
