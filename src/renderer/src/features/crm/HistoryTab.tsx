import { Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { CompanyStatusBadge } from './CrmBadges';
import type { StatusHistoryEntry } from './types';

/** CRM-1: every status change of the company, newest first, with who made it. */
export function HistoryTab({ history }: { history: readonly StatusHistoryEntry[] }) {
  const { t } = useTranslation();
  const newestFirst = [...history].sort((a, b) => b.changedAt.localeCompare(a.changedAt));
  return (
    <Stack gap="sm" data-testid="history-tab">
      <Title order={3} size="h4">
        {t('crm.history.title')}
      </Title>
      {newestFirst.length === 0 ? (
        <Text c="dimmed">{t('crm.history.empty')}</Text>
      ) : (
        <Table fz="sm" striped data-testid="status-history">
          <Table.Caption>{t('crm.history.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('crm.history.when')}</Table.Th>
              <Table.Th scope="col">{t('crm.history.from')}</Table.Th>
              <Table.Th scope="col">{t('crm.history.to')}</Table.Th>
              <Table.Th scope="col">{t('crm.history.by')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {newestFirst.map((entry) => (
              <Table.Tr key={`${entry.changedAt}-${entry.to}`}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.changedAt)}</Table.Td>
                <Table.Td>{entry.from ? <CompanyStatusBadge status={entry.from} /> : t('crm.history.created')}</Table.Td>
                <Table.Td>
                  <CompanyStatusBadge status={entry.to} />
                </Table.Td>
                <Table.Td>{entry.changedByName ?? t('crm.none')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
