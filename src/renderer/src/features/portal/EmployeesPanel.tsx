import { ActionIcon, Alert, Button, Card, Group, Loader, Menu, Pagination, Stack, Table, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { ConfirmModal } from '../shared/ConfirmModal';
import { EmployeeFormModal } from './EmployeeFormModal';
import { paginationLabels } from './pagination-labels';
import { isChangedMeanwhile, portalErrorText } from './portal-errors';
import { RevealNationalIdModal } from './RevealNationalIdModal';
import type { EmployeeRow } from './types';

const PAGE_SIZE = 25;

/**
 * CRM-4: the employees the customer's agreement covers — paged and searchable (name or e-mail,
 * never the number), fødselsnummer masked — with add, edit, remove and a logged "show number".
 * `canAdd`: the agreement exists and has not ended (the server refuses otherwise too).
 */
export function EmployeesPanel({ companyId, canAdd, importButton }: { companyId: string; canAdd: boolean; importButton: React.ReactNode }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const employees = useQuery({
    ...trpc.portal.employees.queryOptions({ companyId, search: debouncedSearch, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const [editing, setEditing] = useState<EmployeeRow | 'new' | null>(null);
  const [removing, setRemoving] = useState<EmployeeRow | null>(null);
  const [revealing, setRevealing] = useState<EmployeeRow | null>(null);

  const total = employees.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const rows = employees.data?.rows ?? [];

  return (
    <Card withBorder padding="md" component="section" aria-labelledby="portal-employees-title" data-testid="portal-employees">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} id="portal-employees-title">
            {t('portal.employees.title')}
          </Title>
          <Group gap="xs">
            {importButton}
            <Button onClick={() => setEditing('new')} disabled={!canAdd}>
              {t('portal.employees.add')}
            </Button>
          </Group>
        </Group>
        {!canAdd && (
          <Text size="sm" c="dimmed">
            {t('portal.employees.needsAgreement')}
          </Text>
        )}
        <TextInput
          label={t('portal.employees.search')}
          placeholder={t('portal.employees.searchPlaceholder')}
          type="search"
          value={search}
          maxLength={100}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            setPage(1);
          }}
        />
        {employees.isError && (
          <Alert color="red" role="alert" title={t('portal.employees.loadFailed')}>
            {portalErrorText(employees.error)}
          </Alert>
        )}
        {employees.isPending && <Loader size="sm" aria-label={t('portal.employees.title')} />}
        {employees.isSuccess && (
          <>
            <Text size="sm" c="dimmed" aria-live="polite">
              {t('portal.employees.count', { count: total })} · {t('portal.employees.maskedHint')}
            </Text>
            <Table.ScrollContainer minWidth={720}>
              <Table striped highlightOnHover fz="sm" data-testid="employees-table">
                <Table.Caption>{t('portal.employees.caption')}</Table.Caption>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('portal.employees.name')}</Table.Th>
                    <Table.Th scope="col">{t('portal.employees.phone')}</Table.Th>
                    <Table.Th scope="col">{t('portal.employees.email')}</Table.Th>
                    <Table.Th scope="col">{t('portal.employees.nationalId')}</Table.Th>
                    <Table.Th scope="col">
                      <VisuallyHidden>{t('portal.employees.actions')}</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.length === 0 && (
                    <Table.Tr>
                      <Table.Td colSpan={5}>
                        <Text size="sm" c="dimmed">
                          {debouncedSearch ? t('portal.employees.noMatch') : t('portal.employees.empty')}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                  {rows.map((employee) => (
                    <Table.Tr key={employee.id} data-testid="employee-row">
                      <Table.Th scope="row" fw={500}>
                        {employee.fullName}
                      </Table.Th>
                      <Table.Td>{employee.phone ?? ''}</Table.Td>
                      <Table.Td>{employee.email ?? ''}</Table.Td>
                      <Table.Td ff="monospace">{employee.nationalIdMasked}</Table.Td>
                      <Table.Td>
                        <Group gap={4} justify="flex-end" wrap="nowrap">
                          <Button size="compact-xs" variant="subtle" aria-label={t('portal.reveal.buttonFor', { name: employee.fullName })} onClick={() => setRevealing(employee)}>
                            {t('portal.reveal.button')}
                          </Button>
                          <Menu position="bottom-end">
                            <Menu.Target>
                              <ActionIcon variant="subtle" aria-label={t('portal.employees.actions')}>
                                ⋯
                              </ActionIcon>
                            </Menu.Target>
                            <Menu.Dropdown>
                              <Menu.Item onClick={() => setEditing(employee)} aria-label={t('portal.employees.editFor', { name: employee.fullName })}>
                                {t('portal.employees.edit')}
                              </Menu.Item>
                              <Menu.Item color="red" onClick={() => setRemoving(employee)} aria-label={t('portal.employees.removeFor', { name: employee.fullName })}>
                                {t('portal.employees.remove')}
                              </Menu.Item>
                            </Menu.Dropdown>
                          </Menu>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {pageCount > 1 && (
              <nav aria-label={t('portal.employees.pages')}>
                <Pagination total={pageCount} value={Math.min(page, pageCount)} onChange={setPage} {...paginationLabels(t)} />
              </nav>
            )}
          </>
        )}
      </Stack>
      {editing !== null && <EmployeeFormModal companyId={companyId} employee={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <RemoveEmployeeModal employee={removing} onClose={() => setRemoving(null)} />
      <RevealNationalIdModal employee={revealing} onClose={() => setRevealing(null)} />
    </Card>
  );
}

function RemoveEmployeeModal({ employee, onClose }: { employee: EmployeeRow | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const remove = useMutation(trpc.portal.removeEmployee.mutationOptions());
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={employee !== null}
      title={t('portal.removeEmployee.title')}
      body={employee ? t('portal.removeEmployee.body', { name: employee.fullName }) : ''}
      actionLabel={t('portal.removeEmployee.confirm')}
      cancelLabel={t('portal.removeEmployee.cancel')}
      errorMessage={remove.isError ? (isChangedMeanwhile(remove.error) ? t('portal.employeeForm.conflict') : portalErrorText(remove.error)) : undefined}
      isPending={remove.isPending}
      isDestructive
      testId="remove-employee-modal"
      onCancel={close}
      onConfirm={() => {
        if (!employee) return;
        remove.mutate(
          { employeeId: employee.id, version: employee.version },
          {
            onSuccess: async () => {
              notifications.show({ color: 'teal', message: t('portal.removeEmployee.done') });
              await queryClient.invalidateQueries({ queryKey: trpc.portal.employees.queryKey() });
              close();
            },
            onError: async (error) => {
              if (isChangedMeanwhile(error)) await queryClient.invalidateQueries({ queryKey: trpc.portal.employees.queryKey() });
            },
          },
        );
      }}
    />
  );
}
