import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NewTaskModal } from './NewTaskModal';
import { TaskTable } from './TaskTable';
import type { Contact, Task } from './types';

/** Open tasks first (overdue, then by due date), then those done lately. */
function byUrgency(a: Task, b: Task): number {
  if ((a.doneAt === null) !== (b.doneAt === null)) return a.doneAt === null ? -1 : 1;
  if (a.isOverdue !== b.isOverdue) return a.isOverdue ? -1 : 1;
  return a.dueOn.localeCompare(b.dueOn);
}

/** CRM-3: the company's follow-up tasks (open ones and those done in the last 30 days) and a new one. */
export function TasksTab({ companyId, tasks, contacts }: { companyId: string; tasks: readonly Task[]; contacts: readonly Contact[] }) {
  const { t } = useTranslation();
  const [isCreating, setIsCreating] = useState(false);
  const sorted = [...tasks].sort(byUrgency);
  return (
    <Stack gap="sm" data-testid="tasks-tab">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('crm.tasks.title')}
        </Title>
        <Button size="sm" onClick={() => setIsCreating(true)} data-testid="new-task">
          {t('crm.tasks.newTask')}
        </Button>
      </Group>
      {sorted.length === 0 ? <Text c="dimmed">{t('crm.tasks.empty')}</Text> : <TaskTable tasks={sorted} caption={t('crm.tasks.caption')} showCompany={false} testId="company-tasks" />}
      {isCreating && <NewTaskModal companyId={companyId} contacts={contacts} onClose={() => setIsCreating(false)} />}
    </Stack>
  );
}
