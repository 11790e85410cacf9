import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';
import { apiErrorCode } from '../../lib/api-error';
import { errorText, fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { CodeInput } from './CodeInput';

/** AUTH-5: the step-up dialog: a fresh code from the authenticator app, then the refused action is sent again. */
export function StepUpModal({ opened, onDone }: { opened: boolean; onDone: (isConfirmed: boolean) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [code, setCode] = useState('');
  const stepUp = useMutation(trpc.auth.session.stepUp.mutationOptions());
  const fieldErrors = fieldErrorMessages(stepUp.error, { code: t('auth.stepUp.codeLabel') });
  const failure = stepUp.error
    ? (fieldErrors.code ?? (apiErrorCode(stepUp.error) === API_ERROR_MESSAGES.stepUpFailed ? t('auth.stepUp.failed') : errorText(stepUp.error)))
    : undefined;

  const close = (isConfirmed: boolean) => {
    setCode('');
    stepUp.reset();
    onDone(isConfirmed);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    stepUp.mutate({ code }, { onSuccess: () => close(true) });
  };

  return (
    // Above any dialog that asked for it (Mantine's modals sit at 200), below the lock screen.
    <Modal opened={opened} onClose={() => close(false)} title={t('auth.stepUp.title')} centered zIndex={300} data-testid="step-up-modal">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">{t('auth.stepUp.body')}</Text>
          <CodeInput label={t('auth.stepUp.codeLabel')} value={code} onChange={setCode} data-autofocus required error={fieldErrors.code} />
          {failure && !fieldErrors.code && (
            <Alert color="red" role="alert">
              {failure}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => close(false)}>
              {t('auth.stepUp.cancel')}
            </Button>
            <Button type="submit" loading={stepUp.isPending} disabled={code.length !== 6}>
              {t('auth.stepUp.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
