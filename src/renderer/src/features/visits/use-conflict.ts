import { notifications } from '@mantine/notifications';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useVisitsChanged } from './use-visits-changed';
import { isBookingChanged } from './visit-errors';

/**
 * VIS-3: two coordinators acting on one booking at once — the second is told someone else changed
 * it first, sees the board as it is now, and decides again (nothing of theirs was saved).
 */
export function useConflictHandler(onConflict?: () => void): (error: unknown) => void {
  const { t } = useTranslation();
  const changed = useVisitsChanged();
  return useCallback(
    (error: unknown) => {
      if (!isBookingChanged(error)) return;
      notifications.show({ color: 'orange', message: t('visits.conflict'), autoClose: 8000 });
      changed();
      onConflict?.();
    },
    [changed, onConflict, t],
  );
}
