import { Alert, Badge, Drawer, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';
import { errorText, translateAuditAction, translateAuditReason, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import type { LogEvent } from './log-types';
import { basisLabel, userLabel } from './LogTable';

/** DPO-1: one event in full and the same user's events around it (the server logs the context read). */
export function EventDrawer({ event, onClose }: { event: LogEvent | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const context = useQuery({ ...trpc.dpo.log.context.queryOptions({ eventId: event?.id ?? '0' }), enabled: event !== null, staleTime: 60_000 });
  const rows: [string, string][] = event
    ? [
        [t('dpoLog.eventId'), event.id],
        [t('dpoLog.time'), formatDateTime(event.occurredAt, { seconds: true })],
        [t('dpoLog.userColumn'), userLabel(event, t('dpoLog.system'))],
        [t('dpoLog.roles'), event.user.roles.join(', ') || '—'],
        [t('dpoLog.profession'), event.user.profession ?? '—'],
        [t('dpoLog.actionColumn'), translateAuditAction(event.action)],
        [t('dpoLog.outcomeColumn'), translateCode(`dpoLog.outcomes.${event.outcome}`, {}, event.outcome)],
        [t('dpoLog.reason'), event.reason ? translateAuditReason(event.reason) : '—'],
        [t('dpoLog.patientColumn'), event.patient ? (event.patient.name ?? t('dpoLog.unnamedPatient')) : '—'],
        [t('dpoLog.object'), event.objectType ? `${event.objectType}${event.objectId ? ` ${event.objectId}` : ''}` : '—'],
        [t('dpoLog.basisColumn'), basisLabel(event.basis)],
        [t('dpoLog.methodColumn'), event.authMethod ?? '—'],
        [
          t('dpoLog.latestReview'),
          event.review
            ? `${t('dpoLog.reviewBy', { time: formatDateTime(event.review.reviewedAt), name: event.review.reviewedBy ?? '—' })} (${t('dpoLog.reviewHistory', { count: event.reviewCount })}): ${event.review.comment}`
            : t('dpoLog.notReviewed'),
        ],
      ]
    : [];
  return (
    <Drawer opened={event !== null} onClose={onClose} position="right" size="xl" title={event ? t('dpoLog.details', { id: event.id }) : ''} closeButtonProps={{ 'aria-label': t('dpoLog.cancel') }}>
      {event && (
        <Stack gap="md" data-testid="event-drawer">
          <Table withRowBorders={false} verticalSpacing={4}>
            <Table.Tbody>
              {rows.map(([label, value]) => (
                <Table.Tr key={label}>
                  <Table.Th scope="row" w={170}>
                    {label}
                  </Table.Th>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Title order={3} size="h5">
            {t('dpoLog.context')}
          </Title>
          {context.isPending && <Loader size="sm" />}
          {context.isError && (
            <Alert color="red" role="alert">
              {errorText(context.error)}
            </Alert>
          )}
          {context.data && context.data.events.length <= 1 && <Text>{t('dpoLog.contextEmpty')}</Text>}
          {context.data && context.data.events.length > 1 && (
            <Table aria-label={t('dpoLog.contextLabel')} data-testid="event-context" striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('dpoLog.time')}</Table.Th>
                  <Table.Th>{t('dpoLog.actionColumn')}</Table.Th>
                  <Table.Th>{t('dpoLog.patientColumn')}</Table.Th>
                  <Table.Th>{t('dpoLog.outcomeColumn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {context.data.events.map((row) => (
                  <Table.Tr key={row.id} aria-current={row.id === event.id ? 'true' : undefined} fw={row.id === event.id ? 700 : undefined}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(row.occurredAt, { seconds: true })}
                      {row.id === event.id && (
                        <Badge ml="xs" size="xs" variant="light">
                          {t('dpoLog.thisEvent')}
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{translateAuditAction(row.action)}</Table.Td>
                    <Table.Td>{row.patient ? (row.patient.name ?? t('dpoLog.unnamedPatient')) : '—'}</Table.Td>
                    <Table.Td>{translateCode(`dpoLog.outcomes.${row.outcome}`, {}, row.outcome)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
