import { Alert, Button, Checkbox, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../../../../shared/oslo-time';
import { useTRPC } from '../../../lib/trpc';
import { useStepUpMutation } from '../../auth/step-up';
import { useNow } from '../../visits/visit-time';
import { categoryName, type ErasurePlan, erasureErrorText } from './erasure-format';

/**
 * DPO-5: the dry run, then the irreversible run of exactly that plan (its hash) after the waiting
 * period, or cut short deliberately with a reason.
 */
export function ErasurePlanSection({ caseId, waitingDays, onDone }: { caseId: string; waitingDays: number; onDone: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [plan, setPlan] = useState<ErasurePlan | null>(null);
  const [cutShort, setCutShort] = useState(false);
  const [reason, setReason] = useState('');
  const dryRun = useMutation(trpc.dpo.erasure.plan.mutationOptions({ onSuccess: (result) => setPlan(result) }));
  const execute = useStepUpMutation(
    trpc.dpo.erasure.execute.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoErasure.plan.done') });
        void queryClient.invalidateQueries({ queryKey: trpc.dpo.erasure.pathKey() });
        onDone();
      },
    }),
  );
  const now = useNow();
  const isWaitingOver = plan !== null && now.getTime() >= new Date(plan.earliestRunAt).getTime();
  const erasableTotal = plan?.categories.reduce((sum, category) => sum + category.erasable, 0) ?? 0;

  return (
    <Stack gap="sm" data-testid="erasure-plan">
      <Title order={4}>{t('dpoErasure.plan.title')}</Title>
      <Text size="sm">{t('dpoErasure.plan.dryRunIntro')}</Text>
      <Group>
        <Button variant="light" loading={dryRun.isPending} onClick={() => dryRun.mutate({ caseId })}>
          {t('dpoErasure.plan.dryRun')}
        </Button>
      </Group>
      {dryRun.error && (
        <Alert color="red" role="alert">
          {erasureErrorText(dryRun.error)}
        </Alert>
      )}
      {plan && (
        <Stack gap="sm">
          <Text size="sm" fw={600}>
            {t('dpoErasure.plan.result', { date: formatDateTime(plan.plannedAt) })}
          </Text>
          <Table.ScrollContainer minWidth={560}>
            <Table striped fz="sm" data-testid="erasure-plan-table">
              <Table.Caption>{t('dpoErasure.plan.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('dpoErasure.column.category')}</Table.Th>
                  <Table.Th scope="col">{t('dpoErasure.column.erase')}</Table.Th>
                  <Table.Th scope="col">{t('dpoErasure.column.anonymise')}</Table.Th>
                  <Table.Th scope="col">{t('dpoErasure.column.keep')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plan.categories.map((category) => {
                  const kept = category.items.length - category.erasable;
                  return (
                    <Table.Tr key={category.name}>
                      <Table.Th scope="row">{categoryName(category.name)}</Table.Th>
                      <Table.Td>{category.method === 'erased' ? (plan.changed[category.name] ?? 0) : 0}</Table.Td>
                      <Table.Td>{category.method === 'anonymised' ? (plan.changed[category.name] ?? 0) : 0}</Table.Td>
                      <Table.Td>{kept}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {erasableTotal === 0 ? (
            <Alert color="blue">{t('dpoErasure.plan.nothingToErase')}</Alert>
          ) : (
            <Stack gap="xs">
              <Text size="sm">{isWaitingOver ? t('dpoErasure.plan.waitingOver') : t('dpoErasure.plan.waitingUntil', { days: waitingDays, date: formatDate(plan.earliestRunAt) })}</Text>
              {!isWaitingOver && (
                <>
                  <Checkbox label={t('dpoErasure.plan.cutShort')} description={t('dpoErasure.plan.cutShortHint')} checked={cutShort} onChange={(event) => setCutShort(event.currentTarget.checked)} />
                  {cutShort && <Textarea label={t('dpoErasure.plan.reason')} required autosize minRows={2} maxLength={1000} value={reason} onChange={(event) => setReason(event.currentTarget.value)} />}
                </>
              )}
              <Text size="sm" c="dimmed">
                {t('dpoErasure.plan.confirm')}
              </Text>
              <Group>
                <Button
                  color="red"
                  loading={execute.isPending}
                  disabled={!isWaitingOver && (!cutShort || reason.trim() === '')}
                  onClick={() => execute.mutate({ caseId, planHash: plan.planHash, cutWaitingShort: !isWaitingOver && cutShort, reason: isWaitingOver ? null : reason })}
                >
                  {t('dpoErasure.plan.execute')}
                </Button>
              </Group>
            </Stack>
          )}
          {execute.error && (
            <Alert color="red" role="alert">
              {erasureErrorText(execute.error)}
            </Alert>
          )}
        </Stack>
      )}
    </Stack>
  );
}
