import { Alert, Checkbox, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useTRPC } from '../../lib/trpc';
import { osloToday } from '../journal/dates';
import { crmErrorText } from './crm-errors';
import { type Section, sectionOf } from './task-sections';
import { TaskTable } from './TaskTable';

/**
 * CRM-3: the user's own follow-up tasks across companies: overdue first (in red, and saying so),
 * then today's, then later ones, in the order the server gives (by due date). Each links to its
 * company; "mark done" right there.
 */
export function MyTasksPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [includeDone, setIncludeDone] = useState(false);
  const tasks = useQuery(trpc.crm.myTasks.queryOptions({ includeDone }, { staleTime: 0 }));
  const today = osloToday();
  const sections: { key: Section; title: string }[] = [
    { key: 'overdue', title: t('crm.myTasks.overdue') },
    { key: 'today', title: t('crm.myTasks.today') },
    { key: 'later', title: t('crm.myTasks.later') },
    ...(includeDone ? [{ key: 'done' as const, title: t('crm.myTasks.done') }] : []),
  ];
  const bySection = (key: Section) => (tasks.data ?? []).filter((task) => sectionOf(task, today) === key);
  const openCount = (tasks.data ?? []).filter((task) => task.doneAt === null).length;

  return (
    <Stack gap="md" data-testid="my-tasks-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('crm.myTasks.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('crm.myTasks.intro')}
          </Text>
        </div>
        <Checkbox label={t('crm.myTasks.showDone')} checked={includeDone} onChange={(event) => setIncludeDone(event.currentTarget.checked)} />
      </Group>
      {tasks.isError && (
        <Alert color="red" role="alert">
          {crmErrorText(tasks.error)}
        </Alert>
      )}
      {tasks.isPending && <Loader size="sm" aria-label={t('crm.loading')} />}
      {tasks.data && openCount === 0 && <Text c="dimmed">{t('crm.myTasks.allDone')}</Text>}
      {tasks.data &&
        sections.map(({ key, title }) => {
          const rows = bySection(key);
          if (rows.length === 0) return null;
          return (
            <Stack gap="xs" key={key} component="section" aria-labelledby={`tasks-${key}`} data-testid={`tasks-${key}`}>
              <Title order={3} size="h4" id={`tasks-${key}`} c={key === 'overdue' ? 'red.9' : undefined}>
                {title} ({rows.length})
              </Title>
              <TaskTable tasks={rows} caption={t('crm.myTasks.caption', { section: title, count: rows.length })} showCompany testId={`task-table-${key}`} />
            </Stack>
          );
        })}
    </Stack>
  );
}
