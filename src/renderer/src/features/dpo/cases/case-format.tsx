import { Badge, Text } from '@mantine/core';
import { type TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { DsrUrgency } from '../../../../../shared/dsr-deadline';
import { formatCalendarDate } from '../../../../../shared/oslo-time';
import { translateCode } from '../../../lib/translate';

/** A case's status as a badge: closed ones grey, waiting ones yellow, the rest by how far along. */
const STATUS_COLOUR: Record<string, string> = {
  received: 'blue',
  identity_unverified: 'orange',
  in_review: 'blue',
  in_progress: 'indigo',
  on_hold: 'yellow',
  ready_for_release: 'teal',
  completed: 'gray',
  denied: 'gray',
};

export function DsrStatusBadge({ status }: { status: string }) {
  return (
    <Badge color={STATUS_COLOUR[status] ?? 'gray'} variant="light" size="sm" data-testid="dsr-status" data-status={status}>
      {translateCode(`dpoCases.status.${status}`)}
    </Badge>
  );
}

/** How pressing the deadline is, in words (never by colour alone): red when overdue, orange when due within a week. */
export function urgencyText(t: TFunction, urgency: DsrUrgency, daysLeft: number): string {
  if (urgency === 'closed') return t('dpoCases.urgency.closed');
  if (urgency === 'overdue') return t('dpoCases.urgency.overdue', { count: -daysLeft });
  if (daysLeft === 0) return t('dpoCases.urgency.dueToday');
  if (urgency === 'due_soon') return t('dpoCases.urgency.dueSoon', { count: daysLeft });
  return t('dpoCases.urgency.onTime', { count: daysLeft });
}

/** Text colours that keep 4.5:1 contrast on white (WCAG 2.1 AA). */
const URGENCY_COLOUR: Record<DsrUrgency, string> = { overdue: 'red.9', due_soon: 'orange.9', on_time: 'dimmed', closed: 'dimmed' };

/** The deadline with its urgency said in words under it; an extended deadline says so. */
export function DeadlineCell({ effectiveDeadline, isExtended, urgency, daysLeft }: { effectiveDeadline: string; isExtended: boolean; urgency: DsrUrgency; daysLeft: number }) {
  const { t } = useTranslation();
  return (
    <>
      <Text size="sm" fw={urgency === 'overdue' || urgency === 'due_soon' ? 700 : 400} style={{ whiteSpace: 'nowrap' }}>
        {formatCalendarDate(effectiveDeadline)}
        {isExtended && ` (${t('dpoCases.extendedTag')})`}
      </Text>
      <Text size="xs" c={URGENCY_COLOUR[urgency]} fw={urgency === 'overdue' ? 700 : 400} data-testid="dsr-urgency" data-urgency={urgency}>
        {urgencyText(t, urgency, daysLeft)}
      </Text>
    </>
  );
}
