import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BookingStatusCode, Urgency } from '../../../../shared/visit-schemas';
import { translateCode } from '../../lib/translate';

/** Urgent stands out in colour and in words (colour alone is not enough, PLAT-11). */
export function UrgencyBadge({ urgency }: { urgency: string }) {
  return (
    <Badge color={urgency === ('urgent' satisfies Urgency) ? 'red' : 'gray'} variant={urgency === 'urgent' ? 'filled' : 'light'} size="sm">
      {translateCode(`visits.urgency.${urgency}`, {}, urgency)}
    </Badge>
  );
}

const STATUS_COLOUR: Record<BookingStatusCode, string> = {
  requested: 'yellow',
  assigned: 'blue',
  en_route: 'indigo',
  arrived: 'grape',
  completed: 'teal',
  cancelled: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  const colour = (STATUS_COLOUR as Record<string, string>)[status] ?? 'gray';
  return (
    <Badge color={colour} variant="light" size="sm">
      {translateCode(`visits.status.${status}`, {}, status)}
    </Badge>
  );
}

/** Returned to the coordinators' attention (an assignment nobody accepted in time, a rejection). */
export function AttentionBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="orange" variant="filled" size="sm" data-testid="needs-attention">
      {t('visits.board.needsAttention')}
    </Badge>
  );
}
