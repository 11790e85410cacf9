import { BarChart } from '@mantine/charts';
import { Alert, Badge, Button, Card, Group, Loader, NativeSelect, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_ERROR_MESSAGES } from '../../../../../shared/api-errors';
import { FLAG_LIST_STATUSES, FLAG_RULE_CODES, type FlagListStatus, type FlagRuleCode } from '../../../../../shared/dpo-flags-schemas';
import { apiErrorCode } from '../../../lib/api-error';
import { formatDateTime } from '../../../lib/format';
import { errorText } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { CloseFlagModal, type FlagToClose } from './CloseFlagModal';

/** Flags per page; "Vis flere" fetches the next page by keyset (newest event first, the id breaking ties). */
const PAGE_SIZE = 50;

/** One colour per rule for the chart (the legend and the table name each). */
const RULE_COLOURS: Record<FlagRuleCode, string> = {
  break_glass: 'red.7',
  no_relationship: 'orange.6',
  own_record: 'grape.6',
  same_surname: 'violet.6',
  outside_hours: 'blue.6',
  unusual_volume: 'teal.7',
  after_relationship_ended: 'gray.7',
};

/**
 * DPO-2: the DPO's landing page. Open flags per rule, the weekly trend (a chart, and the same
 * figures in a table for screen readers), and the flags — open, closed (with outcome, comment, who
 * closed them and when) or all — a page at a time ("Vis flere"), newest event first. An open flag
 * is closed in a modal with an outcome and a comment; a closed one can be opened again. The flags
 * come from the job over the sealed log, never from this page.
 */
export function FlagsDashboardPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rule, setRule] = useState<FlagRuleCode | ''>('');
  const [status, setStatus] = useState<FlagListStatus>('open');
  const [closing, setClosing] = useState<FlagToClose | null>(null);
  const dashboard = useQuery(trpc.dpo.flags.dashboard.queryOptions());
  const list = useInfiniteQuery(
    trpc.dpo.flags.list.infiniteQueryOptions(
      { status, limit: PAGE_SIZE, ...(rule ? { rule } : {}) },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, refetchOnWindowFocus: false },
    ),
  );
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.rows) ?? [], [list.data]);
  const refreshFlags = () => queryClient.invalidateQueries({ queryKey: trpc.dpo.flags.pathKey() });
  const reopen = useMutation(
    trpc.dpo.flags.reopen.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoFlags.reopened') });
        void refreshFlags();
      },
      onError: (error) => {
        notifications.show({ color: apiErrorCode(error) === API_ERROR_MESSAGES.recordChanged ? 'orange' : 'red', message: apiErrorCode(error) === API_ERROR_MESSAGES.recordChanged ? t('dpoFlags.closeModal.changed') : errorText(error) });
        void refreshFlags();
      },
    }),
  );

  return (
    <Stack gap="lg" data-testid="flags-dashboard">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={2}>{t('dpoFlags.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('dpoFlags.intro')}
          </Text>
        </div>
        {/* The job raises new flags every few minutes: fetch them again without leaving the page. */}
        <Button variant="default" size="xs" onClick={() => void refreshFlags()} data-testid="flags-refresh">
          {t('dpoFlags.refresh')}
        </Button>
      </Group>
      {dashboard.isError && (
        <Alert color="red" role="alert">
          {errorText(dashboard.error)}
        </Alert>
      )}
      {dashboard.isPending && <Loader size="sm" aria-label={t('dpoFlags.loading')} />}
      {dashboard.data && (
        <>
          <section aria-labelledby="flag-cards">
            <Title order={3} size="h4" id="flag-cards" mb="xs">
              {t('dpoFlags.cards')}
            </Title>
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} data-testid="flag-cards">
              {FLAG_RULE_CODES.map((code) => (
                <Card key={code} withBorder padding="sm" data-testid="flag-card" data-rule={code} data-count={dashboard.data.openByRule[code]}>
                  <Text fw={600}>{t(`dpoFlags.rule.${code}`)}</Text>
                  <Text fz={28} fw={700} aria-hidden>
                    {dashboard.data.openByRule[code]}
                  </Text>
                  <Text size="sm">{t('dpoFlags.openCount', { count: dashboard.data.openByRule[code] })}</Text>
                  <Text size="xs" c="dimmed" mt={4}>
                    {t(`dpoFlags.ruleHint.${code}`)}
                  </Text>
                </Card>
              ))}
            </SimpleGrid>
          </section>
          <TrendSection weeks={dashboard.data.weeks} />
        </>
      )}
      <section aria-labelledby="flag-list">
        <Group justify="space-between" align="flex-end" mb="xs">
          <Title order={3} size="h4" id="flag-list">
            {t(`dpoFlags.listTitle.${status}`)}
          </Title>
          <Group gap="sm" align="flex-end">
            <NativeSelect
              label={t('dpoFlags.statusLabel')}
              value={status}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setStatus((FLAG_LIST_STATUSES as readonly string[]).includes(value) ? (value as FlagListStatus) : 'open');
              }}
              data={FLAG_LIST_STATUSES.map((code) => ({ value: code, label: t(`dpoFlags.statusFilter.${code}`) }))}
              data-testid="flag-status-filter"
              w={180}
            />
            <NativeSelect
              label={t('dpoFlags.filterLabel')}
              value={rule}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setRule((FLAG_RULE_CODES as readonly string[]).includes(value) ? (value as FlagRuleCode) : '');
              }}
              data={[{ value: '', label: t('dpoFlags.allRules') }, ...FLAG_RULE_CODES.map((code) => ({ value: code, label: t(`dpoFlags.rule.${code}`) }))]}
              data-testid="flag-rule-filter"
              w={260}
            />
          </Group>
        </Group>
        {list.isError && (
          <Alert color="red" role="alert">
            {errorText(list.error)}
          </Alert>
        )}
        {list.isPending && <Loader size="sm" aria-label={t('dpoFlags.loading')} />}
        {list.data && rows.length === 0 && <Text c="dimmed">{t(`dpoFlags.noneOf.${status}`)}</Text>}
        {rows.length > 0 && (
          <Table striped fz="sm" data-testid="flag-list">
            <Table.Caption>{t(`dpoFlags.listCaptionOf.${status}`)}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpoFlags.columns.occurredAt')}</Table.Th>
                <Table.Th scope="col">{t('dpoFlags.columns.rule')}</Table.Th>
                <Table.Th scope="col">{t('dpoFlags.columns.user')}</Table.Th>
                <Table.Th scope="col">{t('dpoFlags.columns.patient')}</Table.Th>
                <Table.Th scope="col">{t('dpoFlags.columns.status')}</Table.Th>
                <Table.Th scope="col">{t('dpoFlags.columns.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((flag) => (
                <Table.Tr key={flag.id} data-testid="flag-row" data-rule={flag.rule} data-status={flag.status} data-flag-id={flag.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(flag.occurredAt)}</Table.Td>
                  <Table.Td>{t(`dpoFlags.rule.${flag.rule}`)}</Table.Td>
                  <Table.Td>{flag.user.name}</Table.Td>
                  <Table.Td>{flag.patient.name}</Table.Td>
                  <Table.Td>
                    {flag.status === 'open' ? (
                      <Badge variant="light" color="orange">
                        {t('dpoFlags.state.open')}
                      </Badge>
                    ) : (
                      <Stack gap={2} data-testid="flag-closing">
                        <Group gap={6}>
                          <Badge variant="light" color={flag.outcome === 'followed_up' ? 'violet' : 'teal'}>
                            {flag.outcome ? t(`dpoFlags.outcome.${flag.outcome}`) : t('dpoFlags.state.closed')}
                          </Badge>
                        </Group>
                        <Text size="xs">{t('dpoFlags.closedBy', { name: flag.closedByName ?? '', at: flag.closedAt ? formatDateTime(flag.closedAt) : '' })}</Text>
                        {flag.comment && (
                          <Text size="xs" style={{ whiteSpace: 'pre-wrap' }}>
                            {flag.comment}
                          </Text>
                        )}
                      </Stack>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {flag.status === 'open' ? (
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setClosing(flag)}
                        aria-label={t('dpoFlags.closeFor', { user: flag.user.name, patient: flag.patient.name })}
                        data-testid="flag-close"
                      >
                        {t('dpoFlags.close')}
                      </Button>
                    ) : (
                      <Button
                        size="xs"
                        variant="default"
                        loading={reopen.isPending && reopen.variables.flagId === flag.id}
                        onClick={() => reopen.mutate({ flagId: flag.id, expectedVersion: flag.version })}
                        aria-label={t('dpoFlags.reopenFor', { user: flag.user.name, patient: flag.patient.name })}
                        data-testid="flag-reopen"
                      >
                        {t('dpoFlags.reopen')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {rows.length > 0 && (
          <Group justify="space-between" mt="xs">
            <Text size="sm" c="dimmed" aria-live="polite" data-testid="flag-shown">
              {t('dpoFlags.shown', { count: rows.length })}
            </Text>
            {list.hasNextPage && (
              <Button variant="default" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="flags-more">
                {t('dpoFlags.more')}
              </Button>
            )}
          </Group>
        )}
      </section>
      {closing && <CloseFlagModal flag={closing} onClose={() => setClosing(null)} />}
    </Stack>
  );
}

interface TrendWeek {
  weekStart: string;
  isoWeek: string;
  counts: Record<FlagRuleCode, number>;
  total: number;
}

function TrendSection({ weeks }: { weeks: readonly TrendWeek[] }) {
  const { t } = useTranslation();
  const data = weeks.map((week) => ({ label: t('dpoFlags.weekLabel', { week: Number(week.isoWeek.slice(-2)) }), ...week.counts }));
  const series = FLAG_RULE_CODES.map((code) => ({ name: code, color: RULE_COLOURS[code], label: t(`dpoFlags.rule.${code}`) }));
  const hasFlags = weeks.some((week) => week.total > 0);
  return (
    <section aria-labelledby="flag-trend">
      <Title order={3} size="h4" id="flag-trend" mb="xs">
        {t('dpoFlags.trend')}
      </Title>
      <Stack gap="sm">
        {!hasFlags && <Text c="dimmed">{t('dpoFlags.noTrend')}</Text>}
        {/* A picture of the table below, which says the same to a screen reader and the keyboard. */}
        <div aria-hidden data-testid="flag-chart">
          <BarChart h={260} data={data} dataKey="label" type="stacked" series={series} withLegend tickLine="y" gridAxis="y" barChartProps={{ accessibilityLayer: false }} yAxisProps={{ allowDecimals: false }} />
        </div>
        <Table fz="sm" striped data-testid="flag-trend-table">
          <Table.Caption>{t('dpoFlags.trendCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dpoFlags.week')}</Table.Th>
              {series.map((entry) => (
                <Table.Th scope="col" key={entry.name} ta="right">
                  {entry.label}
                </Table.Th>
              ))}
              <Table.Th scope="col" ta="right">
                {t('dpoFlags.total')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {weeks.map((week, index) => (
              <Table.Tr key={week.weekStart}>
                <Table.Th scope="row" fw={400}>
                  {data[index]?.label}
                </Table.Th>
                {FLAG_RULE_CODES.map((code) => (
                  <Table.Td key={code} ta="right">
                    {week.counts[code]}
                  </Table.Td>
                ))}
                <Table.Td ta="right">{week.total}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </section>
  );
}
