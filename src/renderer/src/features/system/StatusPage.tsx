import { Loader, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isDesktopApp } from '../../lib/backend';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

export function StatusPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const info = useQuery(trpc.system.info.queryOptions(undefined, { refetchInterval: 30_000 }));

  const rows: [string, string][] = info.data
    ? [
        [t('status.version'), info.data.version],
        [t('status.database'), t(`status.databaseKinds.${info.data.databaseKind}`)],
        [t('status.schemaVersion'), info.data.schemaVersion ?? '—'],
        [t('status.migrationCount'), String(info.data.migrationCount)],
        [t('status.mode'), info.data.isDemo ? t('status.modeDemo') : t('status.modeProduction')],
        [t('status.serverTime'), formatDateTime(info.data.serverTime, { seconds: true })],
        [t('status.client'), isDesktopApp() ? t('status.desktop') : t('status.browser')],
      ]
    : [];

  return (
    <Stack gap="sm">
      <Title order={2}>{t('status.title')}</Title>
      {info.isPending && !info.isError && <Loader size="sm" aria-label={t('connection.checking')} />}
      {info.isError && !info.data && <div>{t('status.unavailable')}</div>}
      {info.data && (
        <Table data-testid="status-table" withRowBorders={false} maw={640}>
          <Table.Tbody>
            {rows.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th w={220}>{label}</Table.Th>
                <Table.Td>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
