import 'dayjs/locale/nb';
import { DatePickerInput, type DatePickerInputProps, DatesProvider } from '@mantine/dates';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The CRM's date pickers in the user's language (dayjs locale nb or en), weeks from Monday, and
 * dates written dd.mm.yyyy whatever the language (PLAT-4).
 */
export function CrmDatesProvider({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'nb', firstDayOfWeek: 1 }}>{children}</DatesProvider>;
}

/** A calendar date picked or typed as dd.mm.yyyy; the value is yyyy-mm-dd, as the server takes it. */
export function DateField(props: Omit<DatePickerInputProps, 'valueFormat' | 'type'>) {
  const { t } = useTranslation();
  return <DatePickerInput valueFormat="DD.MM.YYYY" placeholder={t('crm.dates.placeholder')} popoverProps={{ withinPortal: true }} {...props} />;
}
