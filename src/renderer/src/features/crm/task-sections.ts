/** The sections of "my tasks" (CRM-3), in the order shown: what is late first. */
export type Section = 'overdue' | 'today' | 'later' | 'done';

/**
 * Which section a task belongs to on `today` (Oslo, yyyy-mm-dd). The server decides what is
 * overdue (by its own clock); the rest is split by the due date.
 */
export function sectionOf(task: { doneAt: string | null; isOverdue: boolean; dueOn: string }, today: string): Section {
  if (task.doneAt) return 'done';
  if (task.isOverdue) return 'overdue';
  return task.dueOn <= today ? 'today' : 'later';
}
