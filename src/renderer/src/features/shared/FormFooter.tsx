import { Alert, Button, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorText as sharedErrorText } from '../../lib/translate';

/**
 * The foot of a modal form: an error no field shows (a refusal, a lost connection), then cancel and
 * submit. `errorText` words the error; a domain with codes of its own (dispatch) passes its own.
 */
export function FormFooter({
  errors,
  error,
  isPending,
  submitLabel,
  onCancel,
  errorText = sharedErrorText,
}: {
  errors: Record<string, string | undefined>;
  error: unknown;
  isPending: boolean;
  submitLabel: string;
  onCancel: () => void;
  errorText?: (error: unknown) => string;
}) {
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
