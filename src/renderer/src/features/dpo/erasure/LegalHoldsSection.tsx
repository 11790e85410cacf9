import { Alert, Badge, Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LEGAL_HOLD_REASONS, type LegalHoldReason } from '../../../../../shared/dpo-erasure-schemas';
import { formatDate } from '../../../../../shared/oslo-time';
import { translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { categoryName, erasureErrorText, type LegalHold } from './erasure-format';

function scopeText(hold: LegalHold): string {
  return translateCode(`dpoErasure.holds.scope.${hold.scope}`, { reference: hold.caseReference ?? '', category: categoryName(hold.category ?? '') });
}

/** DPO-5: the legal holds of the request, set on its person and lifted, as records. */
export function LegalHoldsSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState<LegalHoldReason>('complaint');
  const holds = useQuery({ ...trpc.dpo.erasure.holds.queryOptions({ caseId }), refetchOnWindowFocus: false });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.dpo.erasure.pathKey() });
  const setHold = useMutation(
    trpc.dpo.erasure.setHold.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoErasure.holds.saved') });
        refresh();
      },
    }),
  );
  const liftHold = useMutation(
    trpc.dpo.erasure.liftHold.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoErasure.holds.liftedNotice') });
        refresh();
      },
    }),
  );
  const error = holds.error ?? setHold.error ?? liftHold.error;

  return (
    <Stack gap="sm" data-testid="legal-holds">
      <Title order={4}>{t('dpoErasure.holds.title')}</Title>
      <Text size="sm">{t('dpoErasure.holds.intro')}</Text>
      {error && (
        <Alert color="red" role="alert">
          {erasureErrorText(error)}
        </Alert>
      )}
      {holds.data && holds.data.length === 0 && <Text size="sm">{t('dpoErasure.holds.none')}</Text>}
      {holds.data && holds.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped fz="sm">
            <Table.Caption>{t('dpoErasure.holds.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpoErasure.column.scope')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.column.reason')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.column.setBy')}</Table.Th>
                <Table.Th scope="col">{t('dpoErasure.column.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {holds.data.map((hold) => (
                <Table.Tr key={hold.id}>
                  <Table.Td>{scopeText(hold)}</Table.Td>
                  <Table.Td>{t(`dpoErasure.holds.reason.${hold.reason}`)}</Table.Td>
                  <Table.Td>
                    {hold.setByName}, {formatDate(hold.setAt)}
                  </Table.Td>
                  <Table.Td>
                    {hold.liftedAt === null ? (
                      <Group gap="xs">
                        <Badge color="orange" variant="light">
                          {t('dpoErasure.holds.active')}
                        </Badge>
                        <Button size="xs" variant="default" aria-label={t('dpoErasure.holds.liftLabel', { date: formatDate(hold.setAt) })} loading={liftHold.isPending} onClick={() => liftHold.mutate({ holdId: hold.id })}>
                          {t('dpoErasure.holds.lift')}
                        </Button>
                      </Group>
                    ) : (
                      t('dpoErasure.holds.lifted', { date: formatDate(hold.liftedAt), name: hold.liftedByName ?? '' })
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group align="flex-end">
        <NativeSelect
          label={t('dpoErasure.holds.reasonLabel')}
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value as LegalHoldReason)}
          data={LEGAL_HOLD_REASONS.map((value) => ({ value, label: t(`dpoErasure.holds.reason.${value}`) }))}
        />
        <Button variant="light" loading={setHold.isPending} onClick={() => setHold.mutate({ scope: 'person', caseId, reason })}>
          {t('dpoErasure.holds.setForPerson')}
        </Button>
      </Group>
    </Stack>
  );
}
