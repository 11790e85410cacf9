import { Alert, Badge, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { errorText, translateAuditAction, translateAuditReason, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

const PAGE_SIZE = 50;

/**
 * AUD-7: what the audit log holds about the user's own actions (Normen), newest first. Older pages
 * come by keyset (`before` = the last id shown), never by offset.
 */
export function ActivityPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  // The cursors of the older pages asked for so far: each is the nextBefore of the page above it.
  // Pages stay as fetched while shown, so no event is skipped or shown twice when new ones arrive.
  const [befores, setBefores] = useState<string[]>([]);
  const pages = useQueries({
    queries: [undefined, ...befores].map((before) =>
      trpc.activity.mine.queryOptions(
        { limit: PAGE_SIZE, ...(before ? { before } : {}) },
        { staleTime: Infinity, refetchOnMount: before === undefined ? 'always' : false },
      ),
    ),
  });

  const first = pages[0];
  const events = pages.flatMap((page) => page.data?.events ?? []);
  const last = pages.at(-1);
  const nextBefore = last?.data?.nextBefore ?? null;
  const isLoadingOlder = befores.length > 0 && last?.isPending === true;

  return (
    <Stack gap="sm">
      <Title order={2}>{t('activity.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('activity.intro')}
      </Text>
      {first?.isPending && <Loader size="sm" />}
      {first?.isError && (
        <Alert color="red" role="alert">
          {errorText(first.error)}
        </Alert>
      )}
      {first?.data && events.length === 0 && <Text>{t('activity.empty')}</Text>}
      {events.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped aria-label={t('activity.tableLabel')} data-testid="activity-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('activity.time')}</Table.Th>
                <Table.Th>{t('activity.action')}</Table.Th>
                <Table.Th>{t('activity.outcome')}</Table.Th>
                <Table.Th>{t('activity.reason')}</Table.Th>
                <Table.Th>{t('activity.method')}</Table.Th>
                <Table.Th>{t('activity.device')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id} data-action={event.action}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.occurredAt, { seconds: true })}</Table.Td>
                  <Table.Td>{translateAuditAction(event.action)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={event.outcome === 'denied' ? 'red' : 'teal'}>
                      {translateCode(`activity.outcomes.${event.outcome}`, {}, event.outcome)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{event.reason ? translateAuditReason(event.reason) : '—'}</Table.Td>
                  <Table.Td>{event.authMethod ? translateCode(`activity.methods.${event.authMethod.replace(/\W/g, '_')}`, {}, event.authMethod) : '—'}</Table.Td>
                  <Table.Td>{event.deviceId ? <Code title={event.deviceId}>{event.deviceId.slice(0, 8)}</Code> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {last?.isError && befores.length > 0 && (
        <Alert color="red" role="alert">
          {errorText(last.error)}
        </Alert>
      )}
      {(nextBefore || isLoadingOlder) && (
        <Group>
          <Button variant="default" onClick={() => nextBefore && setBefores([...befores, nextBefore])} loading={isLoadingOlder}>
            {t('activity.loadOlder')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
