import { SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WhenForm } from './when-fields';

/** Date, time and length of a consultation: plain inputs in the app's formats (PLAT-4). */
export function WhenFields({ form, errors, onChange }: { form: WhenForm; errors: Record<string, string | undefined>; onChange: (key: keyof WhenForm, value: string) => void }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <TextInput label={t('consultations.date')} required placeholder={t('journal.datePlaceholder')} value={form.date} onChange={(event) => onChange('date', event.currentTarget.value)} error={errors.date} autoComplete="off" />
      <TextInput
        label={t('consultations.time')}
        required
        placeholder={t('consultations.timePlaceholder')}
        value={form.time}
        onChange={(event) => onChange('time', event.currentTarget.value)}
        error={errors.time ?? errors.startsAt}
        autoComplete="off"
      />
      <TextInput
        label={t('consultations.bookModal.length')}
        required
        inputMode="numeric"
        value={form.durationMinutes}
        onChange={(event) => onChange('durationMinutes', event.currentTarget.value)}
        error={errors.durationMinutes}
        autoComplete="off"
      />
    </SimpleGrid>
  );
}
