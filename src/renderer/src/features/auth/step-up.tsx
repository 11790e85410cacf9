import { type DefaultError, type UseMutationOptions, useMutation } from '@tanstack/react-query';
import { createContext, type ReactNode, Suspense, useCallback, useContext, useRef, useState } from 'react';
import { apiErrorCode, SESSION_ERRORS } from '../../lib/api-error';
import { lazyComponent } from '../../lib/lazy-component';

// The dialog (and Mantine's modal with it) is fetched the first time a step-up is asked for, not with the login page.
const StepUpModal = lazyComponent(() => import('./StepUpModal').then((module) => module.StepUpModal));

type WithStepUp = <T>(action: () => Promise<T>) => Promise<T>;

const StepUpContext = createContext<WithStepUp | null>(null);

/**
 * AUTH-5 step-up: an action the server refuses with `auth.step_up_required` opens a modal asking for
 * a fresh code; once the server accepts it, the action is sent again by itself. Cancelling leaves
 * the action refused, with its original error.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [isOpen, setIsOpen] = useState(false);
  // Once shown, the dialog stays mounted so it can close with its transition.
  const [wasOpened, setWasOpened] = useState(false);
  const waiting = useRef<((isConfirmed: boolean) => void)[]>([]);

  const withStepUp = useCallback<WithStepUp>(async (action) => {
    try {
      return await action();
    } catch (error) {
      if (apiErrorCode(error) !== SESSION_ERRORS.stepUpRequired) throw error;
      const isConfirmed = await new Promise<boolean>((resolve) => {
        waiting.current.push(resolve);
        setIsOpen(true);
        setWasOpened(true);
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
      {wasOpened && (
        <Suspense fallback={null}>
          <StepUpModal opened={isOpen} onDone={finish} />
        </Suspense>
      )}
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
