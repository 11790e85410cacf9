import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { visitErrorText } from './visit-errors';

/** The foot of a dispatch form: an error no field shows (a refused transition, no connection), then cancel and submit. */
export function VisitFormFooter({ errors, error, isPending, submitLabel, onCancel }: { errors: Record<string, string | undefined>; error: unknown; isPending: boolean; submitLabel: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const hasFieldErrors = Object.keys(errors).some((key) => key !== '' && errors[key]);
  const general = errors[''] ?? (error && !hasFieldErrors ? visitErrorText(error) : undefined);
  return (
    <>
      {general && (
        <Alert color="red" role="alert">
          {general}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('journal.cancel')}
        </Button>
        <Button type="submit" loading={isPending}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
