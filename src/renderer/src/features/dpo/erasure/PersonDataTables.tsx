import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { translateCode } from '../../../lib/translate';
import { type AwaitingEmployee, CustomerConfirmationModal } from './CustomerConfirmationModal';
import { categoryKey, categoryName, type FoundCategory, groundText, itemLabel, periodText, type RetentionException } from './erasure-format';

const ACTION_COLOR = { erase: 'red', anonymise: 'orange', keep: 'gray' } as const;

/**
 * DPO-4, DPO-5: what every module holds of the person, and what erasure does with each item. An item
 * awaiting the customer's confirmation (an employee while the agreement runs) says whom to ask; in
 * an erasure request the DPO records the confirmation from here, which erases it.
 */
export function PersonDataTables({
  caseId,
  categories,
  exceptions,
  canConfirm,
}: {
  caseId: string;
  categories: readonly FoundCategory[];
  exceptions: readonly RetentionException[];
  /** An erasure request with the person's identity verified. */
  canConfirm: boolean;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState<AwaitingEmployee | null>(null);
  return (
    <Stack gap="md" data-testid="person-data">
      {categories.map((category) => (
        <Stack key={category.name} gap={4} data-testid={`person-data-${categoryKey(category.name)}`}>
          <Title order={4}>{categoryName(category.name)}</Title>
          <Text size="sm" c="dimmed">
            {translateCode(category.descriptionKey)}
          </Text>
          {category.items.length === 0 ? (
            <Text size="sm">{t('dpoErasure.nothingFound')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={640}>
              <Table striped fz="sm">
                <Table.Caption>{categoryName(category.name)}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('dpoErasure.column.item')}</Table.Th>
                    <Table.Th scope="col">{t('dpoErasure.column.action')}</Table.Th>
                    <Table.Th scope="col">{t('dpoErasure.column.ground')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {category.items.map((item) => (
                    <Table.Tr key={item.id}>
                      <Table.Td>{itemLabel(item)}</Table.Td>
                      <Table.Td>
                        <Stack gap={4} align="flex-start">
                          <Badge variant="light" color={ACTION_COLOR[item.action]}>
                            {t(`dpoErasure.action.${item.action}`)}
                          </Badge>
                          {item.awaits && (
                            <Group gap="xs" data-testid="awaiting-customer">
                              <Badge variant="outline" color="yellow">
                                {t('dpoErasure.confirmation.awaiting', { company: item.awaits.companyName })}
                              </Badge>
                              {canConfirm && (
                                <Button
                                  size="xs"
                                  variant="light"
                                  onClick={() => setConfirming({ employeeId: item.id, companyName: item.awaits?.companyName ?? '' })}
                                  aria-label={t('dpoErasure.confirmation.recordLabel', { company: item.awaits.companyName, item: itemLabel(item) })}
                                  data-testid="record-customer-confirmation"
                                >
                                  {t('dpoErasure.confirmation.record')}
                                </Button>
                              )}
                            </Group>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td>{groundText(item.groundCode, exceptions)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          {category.keeps.map((key) => (
            <Text key={key} size="xs" c="dimmed">
              {translateCode(key)}
            </Text>
          ))}
        </Stack>
      ))}
      {confirming && <CustomerConfirmationModal caseId={caseId} employee={confirming} onClose={() => setConfirming(null)} />}
    </Stack>
  );
}

/** The register of what is kept and on which legal ground (DPO-5): data, shown as it is stored. */
export function RetentionRegister({ exceptions }: { exceptions: readonly RetentionException[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4}>
      <Title order={4}>{t('dpoErasure.register.title')}</Title>
      <Table.ScrollContainer minWidth={640}>
        <Table striped fz="sm" data-testid="retention-register">
          <Table.Caption>{t('dpoErasure.register.caption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dpoErasure.column.what')}</Table.Th>
              <Table.Th scope="col">{t('dpoErasure.column.law')}</Table.Th>
              <Table.Th scope="col">{t('dpoErasure.column.period')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {exceptions.map((exception) => (
              <Table.Tr key={exception.code}>
                <Table.Td>{translateCode(exception.descriptionKey, {}, exception.code)}</Table.Td>
                <Table.Td>{exception.lawReference}</Table.Td>
                <Table.Td>{periodText(exception.period)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
