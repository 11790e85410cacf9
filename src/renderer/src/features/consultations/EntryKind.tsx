import { useTranslation } from 'react-i18next';
import type { CalendarEntry } from './entry-text';

/** "Konsultasjon · Video", or "Hjemmebesøk". A component, so the typed `t` is not passed around. */
export function EntryKind({ entry }: { entry: Pick<CalendarEntry, 'kind' | 'mode'> }) {
  const { t } = useTranslation();
  return entry.kind === 'consultation' ? `${t('consultations.kinds.consultation')} · ${t(`consultations.modes.${entry.mode}`)}` : t('consultations.kinds.home_visit');
}
