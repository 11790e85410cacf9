import { Alert, Code, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../../../shared/oslo-time';
import { useTRPC } from '../../../lib/trpc';
import { categoryName, erasureErrorText, groundText } from './erasure-format';

/** DPO-5: the stored report of a request's erasure — what went, how, its checksum, and what stays on which ground. */
export function ErasureReportView({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const query = useQuery({ ...trpc.dpo.erasure.report.queryOptions({ caseId }), staleTime: Number.POSITIVE_INFINITY, refetchOnWindowFocus: false });
  if (query.error) {
    return (
      <Alert color="red" role="alert">
        {erasureErrorText(query.error)}
      </Alert>
    );
  }
  const report = query.data?.report;
  if (!report || !query.data) return null;
  const { exceptions } = query.data;
  return (
    <Stack gap="sm" data-testid="erasure-report">
      <Title order={4}>{t('dpoErasure.report.title')}</Title>
      <Text size="sm">{t('dpoErasure.report.executed', { date: formatDateTime(report.executedAt), name: report.executedByName })}</Text>
      {report.cutShortReason !== null && <Text size="sm">{t('dpoErasure.report.cutShort', { reason: report.cutShortReason })}</Text>}
      {report.erased.length === 0 ? (
        <Text size="sm">{t('dpoErasure.report.nothingErased')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped fz="sm" data-testid="erasure-report-erased">
            <Table.Caption>{t('dpoErasure.report.erasedCaption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpoErasure.column.category')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.column.how')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.column.count')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.report.hash')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.erased.map((entry) => (
                <Table.Tr key={entry.category}>
                  <Table.Th scope="row">{categoryName(entry.category)}</Table.Th>
                  <Table.Td>{t(`dpoErasure.method.${entry.method}`)}</Table.Td>
                  <Table.Td>{entry.count}</Table.Td>
                  <Table.Td>
                    <Code>{entry.idsSha256.slice(0, 16)}…</Code>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Text size="xs" c="dimmed">
        {t('dpoErasure.report.hashHint')}
      </Text>
      <Table.ScrollContainer minWidth={640}>
        <Table striped fz="sm" data-testid="erasure-report-kept">
          <Table.Caption>{t('dpoErasure.report.keptCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dpoErasure.column.category')}</Table.Th>
              <Table.Th scope="col">{t('dpoErasure.column.count')}</Table.Th>
              <Table.Th scope="col">{t('dpoErasure.column.ground')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.kept.map((entry) => (
              <Table.Tr key={`${entry.category}:${entry.groundCode}`}>
                <Table.Th scope="row">{categoryName(entry.category)}</Table.Th>
                <Table.Td>{entry.count}</Table.Td>
                <Table.Td>{groundText(entry.groundCode, exceptions)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
