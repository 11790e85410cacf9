import { Alert, Anchor, Button, Checkbox, Chip, Group, Loader, Pagination, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPANY_STATUSES, type CompanyStatus } from '../../../../shared/crm-schemas';
import { translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useCurrentUser } from '../auth/session-context';
import { hashOf } from '../shell/routes';
import { CompanyFormModal } from './CompanyFormModal';
import { CompanyStatusBadge } from './CrmBadges';
import { crmErrorText } from './crm-errors';
import { formatOrganisationNumber } from './format';

const PAGE_SIZE = 25;
/** Long enough that typing a name sends one search, short enough to feel immediate. */
const SEARCH_DEBOUNCE_MS = 300;

function openCompany(companyId: string) {
  window.location.hash = hashOf({ page: 'company', companyId });
}

/**
 * CRM-1: the company list, the CRM workspace's first page. Search by word prefixes (name,
 * organisation number, city, a contact's name), filter by status and by "mine", page through.
 * A row opens the company; its name is also a link, so the keyboard gets there too.
 */
export function CompaniesPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const me = useCurrentUser();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [statuses, setStatuses] = useState<CompanyStatus[]>([]);
  const [isMineOnly, setIsMineOnly] = useState(false);
  const [page, setPage] = useState(1);
  const [isCreating, setIsCreating] = useState(false);

  const companies = useQuery(
    trpc.crm.companies.queryOptions(
      {
        search: debouncedSearch === '' ? undefined : debouncedSearch,
        statuses: statuses.length > 0 ? statuses : undefined,
        ownerId: isMineOnly ? 'me' : undefined,
        page,
        pageSize: PAGE_SIZE,
      },
      // The rows shown stay while the next page or search loads, so the table does not jump.
      { placeholderData: keepPreviousData },
    ),
  );
  const total = companies.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <Stack gap="md" data-testid="companies-page">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>{t('crm.companies.title')}</Title>
        <Button onClick={() => setIsCreating(true)} data-testid="new-company">
          {t('crm.companies.newCompany')}
        </Button>
      </Group>

      <Stack gap="xs" role="search" aria-label={t('crm.companies.filters')}>
        <TextInput
          label={t('crm.companies.search')}
          placeholder={t('crm.companies.searchPlaceholder')}
          value={search}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
          type="search"
          autoComplete="off"
          maw={520}
          data-testid="company-search"
        />
        <Group gap="lg" align="center">
          <Chip.Group
            multiple
            value={statuses}
            onChange={(value) => {
              setStatuses(COMPANY_STATUSES.filter((status) => value.includes(status)));
              setPage(1);
            }}
          >
            <Group gap="xs" role="group" aria-label={t('crm.companies.statusFilter')}>
              {COMPANY_STATUSES.map((status) => (
                <Chip key={status} value={status} size="sm" variant="outline">
                  {translateCode(`crm.status.${status}`)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <Checkbox
            label={t('crm.companies.mineOnly')}
            checked={isMineOnly}
            onChange={(event) => {
              setIsMineOnly(event.currentTarget.checked);
              setPage(1);
            }}
          />
        </Group>
      </Stack>

      {companies.isError && (
        <Alert color="red" role="alert">
          {crmErrorText(companies.error)}
        </Alert>
      )}
      {companies.isPending && <Loader size="sm" aria-label={t('crm.loading')} />}

      {companies.data && (
        <>
          <Text size="sm" c="dimmed" aria-live="polite" data-testid="companies-total">
            {t('crm.companies.count', { count: total })}
          </Text>
          <Table.ScrollContainer minWidth={860}>
            <Table striped highlightOnHover fz="sm" data-testid="companies-table">
              <Table.Caption>{t('crm.companies.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('crm.companies.columns.name')}</Table.Th>
                  <Table.Th scope="col">{t('crm.companies.columns.organisationNumber')}</Table.Th>
                  <Table.Th scope="col">{t('crm.companies.columns.city')}</Table.Th>
                  <Table.Th scope="col">{t('crm.companies.columns.status')}</Table.Th>
                  <Table.Th scope="col">{t('crm.companies.columns.owner')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('crm.companies.columns.contacts')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('crm.companies.columns.openTasks')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {companies.data.rows.map((row) => (
                  <Table.Tr key={row.id} onClick={() => openCompany(row.id)} style={{ cursor: 'pointer' }} data-testid="company-row">
                    <Table.Td>
                      {/* The link is the row's keyboard and screen-reader way in; the click on the row is a convenience. */}
                      <Anchor href={hashOf({ page: 'company', companyId: row.id })} onClick={(event) => event.stopPropagation()} fw={600} size="sm">
                        {row.name}
                      </Anchor>
                      {row.industry && (
                        <Text size="xs" c="dimmed">
                          {row.industry}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{row.organisationNumber ? formatOrganisationNumber(row.organisationNumber) : t('crm.none')}</Table.Td>
                    <Table.Td>{row.city ?? t('crm.none')}</Table.Td>
                    <Table.Td>
                      <CompanyStatusBadge status={row.status} />
                    </Table.Td>
                    <Table.Td>{row.ownerName ?? t('crm.company.noOwner')}</Table.Td>
                    <Table.Td ta="right">{row.contactCount}</Table.Td>
                    <Table.Td ta="right">{row.openTaskCount}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {companies.data.rows.length === 0 && (
            <Text c="dimmed" data-testid="companies-empty">
              {t('crm.companies.empty')}
            </Text>
          )}
          {pageCount > 1 && (
            <nav aria-label={t('crm.companies.pages')}>
              <Pagination
                total={pageCount}
                value={page}
                onChange={setPage}
                size="sm"
                getItemProps={(number) => ({ 'aria-label': t('crm.companies.pageNumber', { page: number }), 'aria-current': number === page ? 'page' : undefined })}
                getControlProps={(control) => ({ 'aria-label': t(control === 'previous' ? 'crm.companies.previousPage' : control === 'next' ? 'crm.companies.nextPage' : control === 'first' ? 'crm.companies.firstPage' : 'crm.companies.lastPage') })}
              />
            </nav>
          )}
        </>
      )}

      {isCreating && (
        <CompanyFormModal
          ownUserId={me.data?.userId}
          onClose={() => setIsCreating(false)}
          onSaved={(companyId) => {
            setIsCreating(false);
            openCompany(companyId);
          }}
        />
      )}
    </Stack>
  );
}
