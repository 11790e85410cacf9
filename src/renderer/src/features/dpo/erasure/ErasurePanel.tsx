import { Alert, Button, Divider, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../../lib/trpc';
import { CustomerConfirmations } from './CustomerConfirmations';
import { ErasurePlanSection } from './ErasurePlanSection';
import { ErasureReportView } from './ErasureReportView';
import { erasureErrorText } from './erasure-format';
import { LegalHoldsSection } from './LegalHoldsSection';
import { PersonDataTables, RetentionRegister } from './PersonDataTables';

/**
 * A data-subject request's erasure tools (DPO-4, DPO-5): the person's data in every module (found
 * on request, each search logged), the dry run and the erasure for an erasure request, its report,
 * the legal holds, and the register of what is kept and why.
 */
export function ErasurePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [isSearched, setIsSearched] = useState(false);
  const [isDone, setIsDone] = useState(false);
  const found = useQuery({
    ...trpc.dpo.erasure.find.queryOptions({ caseId }),
    enabled: isSearched,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
  const data = found.data;
  const hasReport = isDone || data?.hasReport === true;

  return (
    <Stack gap="md" data-testid="erasure-panel" data-case-id={caseId}>
      <Title order={3}>{t('dpoErasure.title')}</Title>
      <Text size="sm">{t('dpoErasure.intro')}</Text>
      <Group>
        <Button loading={found.isFetching} onClick={() => (isSearched ? void found.refetch() : setIsSearched(true))}>
          {isSearched ? t('dpoErasure.refresh') : t('dpoErasure.find')}
        </Button>
      </Group>
      {found.error && (
        <Alert color="red" role="alert">
          {erasureErrorText(found.error)}
        </Alert>
      )}
      {data && (
        <>
          <PersonDataTables caseId={caseId} categories={data.categories} exceptions={data.exceptions} canConfirm={data.kind === 'erasure' && data.isIdentityVerified} />
          {(data.confirmations.length > 0 || data.categories.some((category) => category.items.some((item) => item.awaits))) && <CustomerConfirmations confirmations={data.confirmations} />}
          <Divider />
          {data.kind !== 'erasure' ? (
            <Text size="sm">{t('dpoErasure.plan.onlyErasure')}</Text>
          ) : !data.isIdentityVerified ? (
            <Alert color="yellow">{t('dpoErasure.plan.unverified')}</Alert>
          ) : hasReport ? null : (
            <ErasurePlanSection caseId={caseId} waitingDays={data.waitingDays} onDone={() => setIsDone(true)} />
          )}
          {hasReport && <ErasureReportView caseId={caseId} />}
          <Divider />
          <RetentionRegister exceptions={data.exceptions} />
        </>
      )}
      <Divider />
      <LegalHoldsSection caseId={caseId} />
    </Stack>
  );
}
