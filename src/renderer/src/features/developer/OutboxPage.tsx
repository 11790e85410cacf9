import { Alert, Anchor, Badge, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

const INVITATION_LINK = /#\/invitation\/([A-Za-z0-9_-]{20,200})/;

/**
 * Demo only (AUTH-1): the messages the outbox would have delivered by e-mail and SMS, so someone
 * trying the demo can follow an invitation (or a re-enrolment after a reset) without a mail server
 * or a phone. The backend refuses this list outside demo mode and to anyone but an admin, who sees
 * only their own organisation's messages (issue 8 §5).
 */
export function OutboxPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const messages = useQuery(trpc.developer.outbox.queryOptions(undefined, { refetchInterval: 3000, staleTime: 0, retry: false }));

  return (
    <Stack gap="sm">
      <Title order={2}>{t('developer.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('developer.intro')}
      </Text>
      {messages.isPending && <Loader size="sm" />}
      {messages.isError && !messages.data && <Alert color="yellow">{t('developer.unavailable')}</Alert>}
      {messages.data?.length === 0 && <Text>{t('developer.empty')}</Text>}
      {messages.data && messages.data.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped verticalSpacing="sm" aria-label={t('developer.tableLabel')} data-testid="outbox-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('developer.time')}</Table.Th>
                <Table.Th>{t('developer.channel')}</Table.Th>
                <Table.Th>{t('developer.recipient')}</Table.Th>
                <Table.Th>{t('developer.subject')}</Table.Th>
                <Table.Th>{t('developer.body')}</Table.Th>
                <Table.Th>{t('developer.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {messages.data.map((message) => {
                const invitation = INVITATION_LINK.exec(message.body);
                return (
                  <Table.Tr key={message.id} data-channel={message.channel} data-recipient={message.recipient}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(message.created_at, { seconds: true })}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={message.channel === 'sms' ? 'grape' : 'blue'}>
                        {translateCode(`developer.channels.${message.channel}`, {}, message.channel)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>{message.recipient}</Table.Td>
                    <Table.Td>{message.subject ?? '—'}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }} data-testid="outbox-body">
                        {message.body}
                      </Text>
                      {invitation && (
                        // The link in the e-mail points at the backend's address; inside the app
                        // (desktop included) the same invitation opens by its hash.
                        <Anchor href={`#/invitation/${invitation[1]}`} size="sm">
                          {t('developer.openInvitation')}
                        </Anchor>
                      )}
                    </Table.Td>
                    <Table.Td>{translateCode(`developer.statuses.${message.status}`, {}, message.status)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
