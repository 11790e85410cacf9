import { Alert, Anchor, Button, Checkbox, Chip, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DSR_KINDS, type DsrKind } from '../../../../../shared/dsr-schemas';
import { formatCalendarDate } from '../../../../../shared/oslo-time';
import { errorText, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { hashOf } from '../../shell/routes';
import { DeadlineCell, DsrStatusBadge } from './case-format';
import { NewCaseModal } from './NewCaseModal';

function openCase(caseId: string) {
  window.location.hash = hashOf({ page: 'dsrCase', caseId });
}

/**
 * DPO-4: the data-subject requests, the most pressing first (by the deadline in force); overdue
 * ones red, those due within a week orange, both also said in words. "Ny begjæring" registers one.
 */
export function CasesPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [kinds, setKinds] = useState<DsrKind[]>([]);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [includeClosed, setIncludeClosed] = useState(false);
  const [isCreating, setIsCreating] = useState(false);
  const cases = useQuery(trpc.dpo.cases.list.queryOptions({ kinds: kinds.length > 0 ? kinds : undefined, overdueOnly, includeClosed }, { placeholderData: keepPreviousData }));

  return (
    <Stack gap="md" data-testid="dsr-cases-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('dpoCases.title')}</Title>
        <Button onClick={() => setIsCreating(true)} data-testid="new-dsr-case">
          {t('dpoCases.newCase')}
        </Button>
      </Group>

      <Group gap="lg" align="center" role="group" aria-label={t('dpoCases.filters.label')}>
        <Chip.Group multiple value={kinds} onChange={(value) => setKinds(DSR_KINDS.filter((kind) => value.includes(kind)))}>
          <Group gap="xs" role="group" aria-label={t('dpoCases.filters.kinds')}>
            {DSR_KINDS.map((kind) => (
              <Chip key={kind} value={kind} size="sm" variant="outline">
                {translateCode(`dpoCases.kind.${kind}`)}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
        <Checkbox label={t('dpoCases.filters.overdueOnly')} checked={overdueOnly} onChange={(event) => setOverdueOnly(event.currentTarget.checked)} />
        <Checkbox label={t('dpoCases.filters.includeClosed')} checked={includeClosed} onChange={(event) => setIncludeClosed(event.currentTarget.checked)} />
      </Group>

      {cases.isError && (
        <Alert color="red" role="alert">
          {errorText(cases.error)}
        </Alert>
      )}
      {cases.isPending && <Loader size="sm" aria-label={t('dpoCases.loading')} />}
      {cases.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('dpoCases.count', { count: cases.data.length })}
          </Text>
          <Table.ScrollContainer minWidth={760}>
            <Table striped highlightOnHover fz="sm" data-testid="dsr-cases-table">
              <Table.Caption>{t('dpoCases.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('dpoCases.columns.reference')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.columns.kind')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.columns.requester')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.columns.received')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.columns.deadline')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.columns.status')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {cases.data.map((row) => (
                  <Table.Tr key={row.id} onClick={() => openCase(row.id)} style={{ cursor: 'pointer' }} data-testid="dsr-case-row" data-urgency={row.urgency}>
                    <Table.Td>
                      <Anchor href={hashOf({ page: 'dsrCase', caseId: row.id })} onClick={(event) => event.stopPropagation()} fw={600} size="sm">
                        {row.reference}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{translateCode(`dpoCases.kind.${row.kind}`)}</Table.Td>
                    <Table.Td>{row.requesterName}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatCalendarDate(row.receivedOn)}</Table.Td>
                    <Table.Td>
                      <DeadlineCell effectiveDeadline={row.effectiveDeadline} isExtended={row.extendedDeadline !== null} urgency={row.urgency} daysLeft={row.daysLeft} />
                    </Table.Td>
                    <Table.Td>
                      <DsrStatusBadge status={row.status} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {cases.data.length === 0 && <Text c="dimmed">{t('dpoCases.empty')}</Text>}
        </>
      )}

      {isCreating && (
        <NewCaseModal
          onClose={() => setIsCreating(false)}
          onCreated={(caseId) => {
            setIsCreating(false);
            openCase(caseId);
          }}
        />
      )}
    </Stack>
  );
}
