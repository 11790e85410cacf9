import { Alert, Anchor, Button, Group, Loader, Menu, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { COMPANY_STATUS_TRANSITIONS, type CompanyStatus } from '../../../../shared/crm-schemas';
import { formatDate } from '../../lib/format';
import { translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { ActivitiesTab } from './ActivitiesTab';
import { CompanyFormModal } from './CompanyFormModal';
import { ContactsTab } from './ContactsTab';
import { CompanyStatusBadge } from './CrmBadges';
import { crmErrorText, isChangedByOthers } from './crm-errors';
import { CrmDatesProvider } from './DateField';
import { formatOrganisationNumber } from './format';
import { HistoryTab } from './HistoryTab';
import { PortalTab } from '../portal/PortalTab';
import { TasksTab } from './TasksTab';
import type { CompanyDetail } from './types';

/** The agreement and its employees exist for a customer, and for a former one until they are deleted (CRM-4). */
const HAS_PORTAL: ReadonlySet<CompanyStatus> = new Set(['customer', 'former']);

/**
 * CRM-1…3: one company — its header (name, organisation number 3-3-3, status with the allowed
 * changes, edit) and tabs for contacts, activities, tasks, the agreement and employees (customers),
 * and the status history.
 */
export function CompanyPage({ companyId }: { companyId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const page = useQuery(trpc.crm.company.queryOptions({ companyId }, { staleTime: 0 }));
  const [tab, setTab] = useState<string | null>('contacts');

  return (
    <CrmDatesProvider>
      <Stack gap="md" data-testid="company-page">
        <Anchor href="#/crm" size="sm">
          {t('crm.company.back')}
        </Anchor>
        {page.isError && (
          <Alert color="red" role="alert">
            {crmErrorText(page.error)}
          </Alert>
        )}
        {page.isPending && <Loader size="sm" aria-label={t('crm.loading')} />}
        {page.data && (
          <>
            <CompanyHeader company={page.data.company} />
            <Tabs value={tab} onChange={setTab} keepMounted={false}>
              <Tabs.List aria-label={t('crm.company.tabsLabel')}>
                <Tabs.Tab value="contacts">
                  {t('crm.company.tabs.contacts')} ({page.data.contacts.length})
                </Tabs.Tab>
                <Tabs.Tab value="activities">{t('crm.company.tabs.activities')}</Tabs.Tab>
                <Tabs.Tab value="tasks">
                  {t('crm.company.tabs.tasks')} ({page.data.tasks.filter((task) => task.doneAt === null).length})
                </Tabs.Tab>
                {HAS_PORTAL.has(page.data.company.status) && <Tabs.Tab value="portal">{t('crm.company.tabs.portal')}</Tabs.Tab>}
                <Tabs.Tab value="history">{t('crm.company.tabs.history')}</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="contacts" pt="md">
                <ContactsTab companyId={companyId} contacts={page.data.contacts} />
              </Tabs.Panel>
              <Tabs.Panel value="activities" pt="md">
                <ActivitiesTab companyId={companyId} activities={page.data.activities} contacts={page.data.contacts} />
              </Tabs.Panel>
              <Tabs.Panel value="tasks" pt="md">
                <TasksTab companyId={companyId} tasks={page.data.tasks} contacts={page.data.contacts} />
              </Tabs.Panel>
              {HAS_PORTAL.has(page.data.company.status) && (
                <Tabs.Panel value="portal" pt="md">
                  <PortalTab companyId={companyId} />
                </Tabs.Panel>
              )}
              <Tabs.Panel value="history" pt="md">
                <HistoryTab history={page.data.statusHistory} />
              </Tabs.Panel>
            </Tabs>
          </>
        )}
      </Stack>
    </CrmDatesProvider>
  );
}

function CompanyHeader({ company }: { company: CompanyDetail }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isEditing, setIsEditing] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
  const setStatus = useMutation(
    trpc.crm.setCompanyStatus.mutationOptions({
      onSuccess: (result) => {
        notifications.show({ color: 'teal', message: t('crm.company.statusChanged', { status: translateCode(`crm.status.${result.status}`) }) });
        void refresh();
      },
      onError: (error) => {
        notifications.show({ color: 'red', message: isChangedByOthers(error) ? t('crm.company.changed') : crmErrorText(error), autoClose: 8000 });
        if (isChangedByOthers(error)) void refresh();
      },
    }),
  );
  const transitions = COMPANY_STATUS_TRANSITIONS[company.status];
  const address = [company.street, [company.postcode, company.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');

  return (
    <Stack gap={4} data-testid="company-header">
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={2}>{company.name}</Title>
          <Group gap="sm" mt={4}>
            <Text size="sm" data-testid="company-organisation-number">
              {company.organisationNumber ? t('crm.company.organisationNumber', { number: formatOrganisationNumber(company.organisationNumber) }) : t('crm.company.noOrganisationNumber')}
            </Text>
            <CompanyStatusBadge status={company.status} />
            <Text size="sm" c="dimmed">
              {t('crm.company.since', { date: formatDate(company.statusChangedAt) })}
            </Text>
            <Text size="sm">{company.ownerName ? t('crm.company.owner', { name: company.ownerName }) : t('crm.company.noOwner')}</Text>
          </Group>
          {(address || company.industry) && (
            <Text size="sm" c="dimmed" mt={4}>
              {[address, company.industry].filter(Boolean).join(' · ')}
            </Text>
          )}
        </div>
        <Group gap="xs">
          <Menu position="bottom-end" withinPortal withInitialFocusPlaceholder={false}>
            <Menu.Target>
              <Button variant="default" size="sm" loading={setStatus.isPending} data-testid="change-status">
                {t('crm.company.changeStatus')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {transitions.length === 0 && <Menu.Label>{t('crm.company.noTransitions')}</Menu.Label>}
              {transitions.map((status) => (
                <Menu.Item key={status} onClick={() => setStatus.mutate({ companyId: company.id, status, version: company.version })}>
                  {t('crm.company.changeStatusTo', { status: translateCode(`crm.status.${status}`) })}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          <Button variant="default" size="sm" onClick={() => setIsEditing(true)} data-testid="edit-company">
            {t('crm.company.edit')}
          </Button>
        </Group>
      </Group>
      {isEditing && <CompanyFormModal company={company} onClose={() => setIsEditing(false)} onSaved={() => setIsEditing(false)} />}
    </Stack>
  );
}
