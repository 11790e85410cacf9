import { Anchor, Card, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

/**
 * VIS-3: the day's exceptions (late start, patient not home …), listed for the coordinators who
 * follow them up. Each opens its booking. Refetched with the board: `visits` queries are the ones
 * the live channel invalidates.
 */
export function ExceptionsPanel({ day, onOpen, refetchInterval }: { day: string; onOpen: (bookingId: string) => void; refetchInterval: number | false }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const exceptions = useQuery(trpc.visits.exceptions.queryOptions({ date: day }, { staleTime: 0, refetchInterval }));
  const rows = exceptions.data?.exceptions ?? [];
  return (
    <Card withBorder component="section" aria-labelledby="dispatch-exceptions" data-testid="dispatch-exceptions">
      <Title order={3} size="h4" id="dispatch-exceptions" mb="sm">
        {t('visits.exceptions.title')}
      </Title>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {exceptions.isError ? t('visits.exceptions.failed') : t('visits.exceptions.empty')}
        </Text>
      ) : (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('visits.exceptions.time')}</Table.Th>
              <Table.Th>{t('visits.exceptions.kind')}</Table.Th>
              <Table.Th>{t('visits.exceptions.status')}</Table.Th>
              <Table.Th>{t('visits.exceptions.doctor')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={row.id}>
                <Table.Td>
                  <Anchor component="button" type="button" onClick={() => onOpen(row.bookingId)}>
                    {formatTime(row.recordedAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`visits.exceptionKinds.${row.kind}`)}</Table.Td>
                <Table.Td>{t(`visits.status.${row.bookingStatus}`)}</Table.Td>
                <Table.Td>{row.doctor?.name ?? '–'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
