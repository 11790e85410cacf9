import { Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDateTime } from '../../../../../shared/oslo-time';
import type { CustomerConfirmation } from './erasure-format';

/**
 * DPO-5: the customers' confirmations recorded in the case — who at which customer confirmed, when
 * and how, and who recorded it (the employee's record was erased then, its receipt in the log).
 */
export function CustomerConfirmations({ confirmations }: { confirmations: readonly CustomerConfirmation[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} data-testid="customer-confirmations">
      <Title order={4}>{t('dpoErasure.confirmation.listTitle')}</Title>
      {confirmations.length === 0 ? (
        <Text size="sm">{t('dpoErasure.confirmation.none')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped fz="sm">
            <Table.Caption>{t('dpoErasure.confirmation.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpoErasure.confirmation.company')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.confirmation.confirmedBy')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.confirmation.how')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.confirmation.recorded')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {confirmations.map((confirmation) => (
                <Table.Tr key={confirmation.id} data-testid="customer-confirmation">
                  <Table.Td>{confirmation.companyName}</Table.Td>
                  <Table.Td>{confirmation.confirmedByRole ? `${confirmation.confirmedByName} (${confirmation.confirmedByRole})` : confirmation.confirmedByName}</Table.Td>
                  <Table.Td>
                    {t('dpoErasure.confirmation.howText', { channel: t(`dpoErasure.confirmation.channels.${confirmation.channel}`), date: formatCalendarDate(confirmation.confirmedOn) })}
                    {confirmation.note ? ` – ${confirmation.note}` : ''}
                  </Table.Td>
                  <Table.Td>{t('dpoErasure.confirmation.recordedText', { name: confirmation.recordedByName, date: formatDateTime(confirmation.recordedAt) })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
