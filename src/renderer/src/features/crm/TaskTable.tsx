import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDate } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';
import { osloToday } from '../journal/dates';
import { hashOf } from '../shell/routes';
import { crmErrorText, isChangedByOthers } from './crm-errors';
import type { Task } from './types';

/** Overdue and due-today in words as well as colour (PLAT-11). */
export function DueBadge({ task, today }: { task: Task; today: string }) {
  const { t } = useTranslation();
  if (task.doneAt) return null;
  if (task.isOverdue) {
    return (
      <Badge color="red" variant="filled" size="sm" data-testid="task-overdue">
        {t('crm.tasks.overdue')}
      </Badge>
    );
  }
  if (task.dueOn === today) {
    return (
      <Badge color="yellow" variant="light" size="sm">
        {t('crm.tasks.dueToday')}
      </Badge>
    );
  }
  return null;
}

/** Marks a task done, with the version shown; a task changed meanwhile reloads the lists. */
function useCompleteTask() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.crm.pathKey() });
  return useMutation(
    trpc.crm.completeTask.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('crm.tasks.completed') });
        void refresh();
      },
      onError: (error) => {
        notifications.show({ color: 'red', message: crmErrorText(error) });
        if (isChangedByOthers(error)) void refresh();
      },
    }),
  );
}

/**
 * CRM-3: follow-up tasks as a table: what, (company,) contact, due date, owner, and "mark done".
 * An overdue row is marked red and says "Forfalt".
 */
export function TaskTable({ tasks, caption, showCompany, testId }: { tasks: readonly Task[]; caption: string; showCompany: boolean; testId: string }) {
  const { t } = useTranslation();
  const complete = useCompleteTask();
  const today = osloToday();
  return (
    <Table.ScrollContainer minWidth={showCompany ? 820 : 680}>
      <Table fz="sm" striped data-testid={testId}>
        <Table.Caption>{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('crm.tasks.columns.title')}</Table.Th>
            {showCompany && <Table.Th scope="col">{t('crm.tasks.columns.company')}</Table.Th>}
            <Table.Th scope="col">{t('crm.tasks.columns.contact')}</Table.Th>
            <Table.Th scope="col">{t('crm.tasks.columns.due')}</Table.Th>
            <Table.Th scope="col">{t('crm.tasks.columns.owner')}</Table.Th>
            <Table.Th scope="col">{t('crm.tasks.columns.actions')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tasks.map((task) => (
            <Table.Tr key={task.id} data-testid="task-row" data-overdue={task.isOverdue} bg={task.isOverdue ? 'var(--mantine-color-red-light)' : undefined}>
              <Table.Td>
                <Text size="sm" fw={500} td={task.doneAt ? 'line-through' : undefined}>
                  {task.title}
                </Text>
              </Table.Td>
              {showCompany && (
                <Table.Td>
                  <Anchor href={hashOf({ page: 'company', companyId: task.companyId })} size="sm">
                    {task.companyName}
                  </Anchor>
                </Table.Td>
              )}
              <Table.Td>{task.contactName ?? t('crm.none')}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm" component="span" c={task.isOverdue ? 'red.9' : undefined} fw={task.isOverdue ? 600 : undefined} mr={6}>
                  {formatCalendarDate(task.dueOn)}
                </Text>
                <DueBadge task={task} today={today} />
              </Table.Td>
              <Table.Td>{task.ownerName ?? t('crm.none')}</Table.Td>
              <Table.Td>
                {task.doneAt ? (
                  <Text size="sm" c="dimmed">
                    {t('crm.tasks.done', { date: formatDate(task.doneAt) })}
                  </Text>
                ) : (
                  <Button
                    size="xs"
                    variant="light"
                    loading={complete.isPending && complete.variables?.taskId === task.id}
                    onClick={() => complete.mutate({ taskId: task.id, version: task.version })}
                    aria-label={t('crm.tasks.markDoneNamed', { title: task.title })}
                    data-testid="complete-task"
                  >
                    {t('crm.tasks.markDone')}
                  </Button>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
