import { Badge, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { translateCode } from '../../../lib/translate';
import { categoryKey, categoryName, type FoundCategory, groundText, itemLabel, periodText, type RetentionException } from './erasure-format';

const ACTION_COLOR = { erase: 'red', anonymise: 'orange', keep: 'gray' } as const;

/** DPO-4, DPO-5: what every module holds of the person, and what erasure does with each item. */
export function PersonDataTables({ categories, exceptions }: { categories: readonly FoundCategory[]; exceptions: readonly RetentionException[] }) {
  const { t } = useTranslation();
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
                        <Badge variant="light" color={ACTION_COLOR[item.action]}>
                          {t(`dpoErasure.action.${item.action}`)}
                        </Badge>
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
