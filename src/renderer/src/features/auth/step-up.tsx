import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type DefaultError, type UseMutationOptions, useMutation } from '@tanstack/react-query';
import { createContext, type FormEvent, type ReactNode, useCallback, useContext, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorCode, SESSION_ERRORS } from '../../lib/api-error';
import { errorText, fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { CodeInput } from './CodeInput';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';

type WithStepUp = <T>(action: () => Promise<T>) => Promise<T>;

const StepUpContext = createContext<WithStepUp | null>(null);

/**
 * AUTH-5 step-up: an action the server refuses with `auth.step_up_required` opens a modal asking for
 * a fresh code; once the server accepts it, the action is sent again by itself. Cancelling leaves
 * the action refused, with its original error.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  const waiting = useRef<((isConfirmed: boolean) => void)[]>([]);

  const withStepUp = useCallback<WithStepUp>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (apiErrorCode(error) !== SESSION_ERRORS.stepUpRequired) throw error;
      const isConfirmed = await new Promise<boolean>((resolve) => {
        waiting.current.push(resolve);
        setIsOpen(true);
      });
      if (!isConfirmed) throw error;
      return action();
    }
  }, []);

  const finish = (isConfirmed: boolean) => {
    setIsOpen(false);
    for (const resolve of waiting.current.splice(0)) resolve(isConfirmed);
  };

  return (
    <StepUpContext.Provider value={withStepUp}>
      {children}
      <StepUpModal opened={isOpen} onDone={finish} />
    </StepUpContext.Provider>
  );
}

export function useWithStepUp(): WithStepUp {
  const withStepUp = useContext(StepUpContext);
  if (!withStepUp) throw new Error('useWithStepUp outside StepUpProvider');
  return withStepUp;
}

/** useMutation whose call asks for step-up and retries when the server wants it. */
export function useStepUpMutation<TData = unknown, TError = DefaultError, TVariables = void, TContext = unknown>(
  options: UseMutationOptions<TData, TError, TVariables, TContext>,
) {
  const withStepUp = useWithStepUp();
  const { mutationFn } = options;
  return useMutation<TData, TError, TVariables, TContext>({
    ...options,
    ...(mutationFn ? { mutationFn: (variables, context) => withStepUp(() => mutationFn(variables, context)) } : {}),
  });
}

function StepUpModal({ opened, onDone }: { opened: boolean; onDone: (isConfirmed: boolean) => void }) {
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
