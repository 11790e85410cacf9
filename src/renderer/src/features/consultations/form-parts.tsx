import { Alert, Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

/** After a booking, move or cancellation: say so, and refetch the calendar and the start page. */
export function useConsultationChanged(): (message: string) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (message) => {
    notifications.show({ color: 'teal', message });
    void queryClient.invalidateQueries({ queryKey: trpc.consultations.calendar.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.start.today.queryKey() });
  };
}

/**
 * The foot of a consultation form: an error no field shows (a refusal, a lost connection), then
 * cancel and submit.
 */
export function FormFooter({ errors, error, isPending, submitLabel, onCancel }: { errors: Record<string, string | undefined>; error: unknown; isPending: boolean; submitLabel: string; onCancel: () => void }) {
  const { t } = useTranslation();
  const hasFieldErrors = Object.keys(errors).some((key) => key !== '' && errors[key]);
  const general = errors[''] ?? (error && !hasFieldErrors ? errorText(error) : undefined);
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
