import { BarChart } from '@mantine/charts';
import { Alert, Card, Group, Loader, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPANY_STATUSES } from '../../../../shared/crm-schemas';
import { translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { CompanyStatusBadge } from './CrmBadges';
import { crmErrorText } from './crm-errors';
import type { Pipeline } from './types';

const PERIODS = ['6', '12', '24'] as const;

/** The chart's series: a move into each status, in the badges' colours (the legend names each). */
const SERIES = [
  { name: 'toLead', status: 'lead', color: 'gray.6' },
  { name: 'toProspect', status: 'prospect', color: 'blue.6' },
  { name: 'toCustomer', status: 'customer', color: 'teal.6' },
  { name: 'toFormer', status: 'former', color: 'orange.6' },
] as const;

/** 2026-03 → "mar. 2026" in the user's language. */
function monthLabel(month: string, language: string): string {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'nb-NO', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(year, monthNumber - 1, 1)));
}

/**
 * The sales pipeline: how many companies are in each status now, and how many moved into each
 * status per month (Oslo months) as a bar chart. The same numbers are in a table for screen
 * readers (a chart alone says nothing to them, PLAT-11).
 */
export function PipelinePage() {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const [months, setMonths] = useState<(typeof PERIODS)[number]>('12');
  const pipeline = useQuery(trpc.crm.pipeline.queryOptions({ months: Number(months) }));

  return (
    <Stack gap="md" data-testid="pipeline-page">
      <div>
        <Title order={2}>{t('crm.pipeline.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('crm.pipeline.intro')}
        </Text>
      </div>
      {pipeline.isError && (
        <Alert color="red" role="alert">
          {crmErrorText(pipeline.error)}
        </Alert>
      )}
      {pipeline.isPending && <Loader size="sm" aria-label={t('crm.loading')} />}
      {pipeline.data && (
        <>
          <section aria-labelledby="pipeline-counts">
            <Title order={3} size="h4" id="pipeline-counts" mb="xs">
              {t('crm.pipeline.counts')}
            </Title>
            <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="pipeline-counts">
              {COMPANY_STATUSES.map((status) => (
                <Card key={status} withBorder padding="sm" data-status={status}>
                  <CompanyStatusBadge status={status} />
                  <Text fz={28} fw={700} mt={4}>
                    {pipeline.data.counts[status]}
                  </Text>
                  <VisuallyHidden>{t('crm.pipeline.companies', { count: pipeline.data.counts[status] })}</VisuallyHidden>
                </Card>
              ))}
            </SimpleGrid>
          </section>
          <section aria-labelledby="pipeline-moves">
            <Group justify="space-between" align="flex-end" mb="xs">
              <Title order={3} size="h4" id="pipeline-moves">
                {t('crm.pipeline.moves')}
              </Title>
              <SegmentedControl
                aria-label={t('crm.pipeline.monthsLabel')}
                value={months}
                onChange={(value) => setMonths(value as (typeof PERIODS)[number])}
                data={PERIODS.map((value) => ({ value, label: t('crm.pipeline.months', { count: Number(value) }) }))}
                size="xs"
              />
            </Group>
            <MovesChart pipeline={pipeline.data} language={i18n.language} />
          </section>
        </>
      )}
    </Stack>
  );
}

function MovesChart({ pipeline, language }: { pipeline: Pipeline; language: string }) {
  const { t } = useTranslation();
  const data = pipeline.moves.map((move) => ({ ...move, label: monthLabel(move.month, language) }));
  const hasMoves = pipeline.moves.some((move) => move.toLead + move.toProspect + move.toCustomer + move.toFormer > 0);
  const series = SERIES.map((entry) => ({ name: entry.name, color: entry.color, label: translateCode(`crm.status.${entry.status}`) }));
  return (
    <Stack gap="sm">
      {!hasMoves && <Text c="dimmed">{t('crm.pipeline.noMoves')}</Text>}
      {/* The chart is a picture of the table below, which says the same to a screen reader and the
          keyboard: recharts' own keyboard layer would be a second, focusable copy of the numbers. */}
      <div aria-hidden data-testid="pipeline-chart">
        <BarChart h={280} data={data} dataKey="label" series={series} withLegend tickLine="y" gridAxis="y" barChartProps={{ accessibilityLayer: false }} yAxisProps={{ allowDecimals: false }} />
      </div>
      <Table fz="sm" striped data-testid="pipeline-table">
        <Table.Caption>{t('crm.pipeline.tableCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('crm.pipeline.month')}</Table.Th>
            {series.map((entry) => (
              <Table.Th scope="col" key={entry.name} ta="right">
                {entry.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.map((row) => (
            <Table.Tr key={row.month}>
              <Table.Th scope="row" fw={400}>
                {row.label}
              </Table.Th>
              <Table.Td ta="right">{row.toLead}</Table.Td>
              <Table.Td ta="right">{row.toProspect}</Table.Td>
              <Table.Td ta="right">{row.toCustomer}</Table.Td>
              <Table.Td ta="right">{row.toFormer}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
