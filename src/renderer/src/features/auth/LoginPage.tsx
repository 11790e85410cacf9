import { Alert, Anchor, Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';
import { apiErrorCode, apiErrorKind } from '../../lib/api-error';
import { deviceId } from '../../lib/device-id';
import { lazyComponent } from '../../lib/lazy-component';
import { rememberedUsername, rememberUsername } from '../../lib/remembered-username';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { PasswordField } from './PasswordField';
import { CodeInput } from './CodeInput';
import { useSession, useSessionStore } from './session-context';

// Enrolment is rare (first login after a reset) and brings the QR code library: fetched when needed.
const TotpEnrolment = lazyComponent(() => import('./TotpEnrolment').then((module) => module.TotpEnrolment));
const RecoveryCodes = lazyComponent(() => import('./RecoveryCodes').then((module) => module.RecoveryCodes));

type Step =
  | { kind: 'password' }
  | { kind: 'code'; ticket: string }
  | { kind: 'enrolSms'; ticket: string; phoneHint: string }
  | { kind: 'enrol'; ticket: string; totpUri: string; totpSecret: string }
  | { kind: 'recovery'; token: string; isNewDevice: boolean; recoveryCodes: string[] };

/** An e-mail to put in the field, e.g. just after an invitation was accepted (memory only). */
let emailHint: string | null = null;
export function setLoginEmailHint(email: string): void {
  emailHint = email;
}

/**
 * AUTH-4: any refusal says the same thing; only "cannot reach the server" and "too many attempts
 * from here" (PLAT-9: about the address, never about the account) are told apart.
 */
function loginFailureText(error: unknown, t: (key: 'auth.login.failed') => string): string {
  return apiErrorKind(error) === undefined || apiErrorCode(error) === API_ERROR_MESSAGES.rateLimited ? errorText(error) : t('auth.login.failed');
}

/**
 * Two-step login (AUTH-1…3): password, then a TOTP code or a recovery code; or, after an admin
 * reset the second factor, the code sent by SMS (the password alone never enrols an
 * authenticator), then a new enrolment with its first code and new recovery codes.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const store = useSessionStore();
  const { notice } = useSession();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [email, setEmail] = useState(() => emailHint ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [isRecovery, setIsRecovery] = useState(false);

  const passwordStep = useMutation(trpc.auth.login.password.mutationOptions());
  const secondFactor = useMutation(trpc.auth.login.secondFactor.mutationOptions());
  const enrol = useMutation(trpc.auth.login.enrol.mutationOptions());
  const enrolmentCode = useMutation(trpc.auth.login.verifyEnrolmentCode.mutationOptions());

  useEffect(() => {
    if (emailHint) {
      emailHint = null;
      return;
    }
    let isCurrent = true;
    void rememberedUsername().then((remembered) => {
      if (isCurrent && remembered) setEmail((current) => current || remembered);
    });
    return () => {
      isCurrent = false;
    };
  }, []);

  const finish = (result: { token: string; isNewDevice: boolean }) => {
    void rememberUsername(email.trim().toLowerCase());
    setPassword('');
    store.signIn(result.token);
    if (result.isNewDevice) {
      // AUTH-6: a login from a device this user has not used before is shown to them.
      notifications.show({ color: 'yellow', title: t('auth.login.newDevice'), message: t('auth.login.newDeviceBody'), autoClose: 15_000 });
    }
  };

  const restart = () => {
    setStep({ kind: 'password' });
    setCode('');
    setRecoveryCode('');
    setIsRecovery(false);
    passwordStep.reset();
    secondFactor.reset();
    enrol.reset();
    enrolmentCode.reset();
  };

  const submitPassword = async (event: FormEvent) => {
    event.preventDefault();
    store.clearNotice();
    const result = await passwordStep.mutateAsync({ email, password, deviceId: await deviceId() }).catch(() => null);
    if (!result) return;
    setCode('');
    setStep(result.step === 'enrol_sms' ? { kind: 'enrolSms', ticket: result.ticket, phoneHint: result.phoneHint } : { kind: 'code', ticket: result.ticket });
  };

  const submitEnrolmentCode = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'enrolSms') return;
    enrolmentCode.mutate(
      { ticket: step.ticket, code },
      {
        onSuccess: (result) => {
          setCode('');
          setStep({ kind: 'enrol', ticket: step.ticket, totpUri: result.totpUri, totpSecret: result.totpSecret });
        },
      },
    );
  };

  const submitCode = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'code') return;
    const input = isRecovery ? { ticket: step.ticket, recoveryCode: recoveryCode.trim() } : { ticket: step.ticket, code };
    secondFactor.mutate(input, { onSuccess: finish });
  };

  const submitEnrolment = (event: FormEvent) => {
    event.preventDefault();
    if (step.kind !== 'enrol') return;
    enrol.mutate(
      { ticket: step.ticket, code },
      {
        onSuccess: (result) =>
          setStep({ kind: 'recovery', token: result.token, isNewDevice: result.isNewDevice, recoveryCodes: result.recoveryCodes ?? [] }),
      },
    );
  };

  const failure = passwordStep.error ?? secondFactor.error ?? enrolmentCode.error ?? enrol.error;

  return (
    <Paper withBorder p="lg" maw={step.kind === 'enrol' || step.kind === 'recovery' ? 640 : 420} mx="auto" mt="lg" data-testid="login-page">
      {notice && step.kind === 'password' && (
        <Alert color={notice === 'loggedOut' ? 'teal' : 'yellow'} mb="md" data-testid="session-notice">
          {t(`auth.notice.${notice}`)}
        </Alert>
      )}
      {step.kind === 'password' && (
        <form onSubmit={submitPassword}>
          <Stack gap="sm">
            <Title order={2}>{t('auth.login.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('auth.login.intro')}
            </Text>
            <TextInput
              label={t('auth.login.email')}
              type="email"
              autoComplete="username"
              required
              // The login form is the page: typing starts in its first field (issue 9 §3).
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
            />
            <PasswordField
              label={t('auth.login.password')}
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
            />
            {failure && (
              <Alert color="red" role="alert" data-testid="login-error">
                {loginFailureText(failure, t)}
              </Alert>
            )}
            <Button type="submit" loading={passwordStep.isPending}>
              {t('auth.login.submit')}
            </Button>
            <Text size="xs" c="dimmed">
              {t('auth.login.publicPages')}
            </Text>
          </Stack>
        </form>
      )}
      {step.kind === 'code' && (
        <form onSubmit={submitCode}>
          <Stack gap="sm">
            <Title order={2}>{t('auth.login.codeTitle')}</Title>
            <Text size="sm" c="dimmed">
              {isRecovery ? t('auth.login.recoveryCodeIntro') : t('auth.login.codeIntro')}
            </Text>
            {isRecovery ? (
              <TextInput
                label={t('auth.login.recoveryCodeLabel')}
                autoComplete="off"
                required
                data-autofocus
                autoFocus
                value={recoveryCode}
                onChange={(event) => setRecoveryCode(event.currentTarget.value)}
              />
            ) : (
              <CodeInput label={t('auth.login.codeLabel')} required autoFocus value={code} onChange={setCode} />
            )}
            <Anchor
              component="button"
              type="button"
              size="sm"
              ta="left"
              onClick={() => {
                setIsRecovery(!isRecovery);
                secondFactor.reset();
              }}
            >
              {isRecovery ? t('auth.login.useTotp') : t('auth.login.useRecoveryCode')}
            </Anchor>
            {failure && (
              <Alert color="red" role="alert" data-testid="login-error">
                {loginFailureText(failure, t)}
              </Alert>
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={restart}>
                {t('auth.login.back')}
              </Button>
              <Button type="submit" loading={secondFactor.isPending} disabled={isRecovery ? recoveryCode.trim() === '' : code.length !== 6}>
                {t('auth.login.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step.kind === 'enrolSms' && (
        <form onSubmit={submitEnrolmentCode}>
          <Stack gap="sm">
            <Title order={2}>{t('auth.enrol.smsTitle')}</Title>
            <Text size="sm" c="dimmed">
              {t('auth.enrol.smsIntro', { hint: step.phoneHint })}
            </Text>
            <CodeInput label={t('auth.enrol.smsCodeLabel')} required autoFocus value={code} onChange={setCode} maw={220} />
            {failure && (
              <Alert color="red" role="alert" data-testid="login-error">
                {loginFailureText(failure, t)}
              </Alert>
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={restart}>
                {t('auth.login.back')}
              </Button>
              <Button type="submit" loading={enrolmentCode.isPending} disabled={code.length !== 6}>
                {t('auth.enrol.smsSubmit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step.kind === 'enrol' && (
        <form onSubmit={submitEnrolment}>
          <Stack gap="sm">
            <Title order={2}>{t('auth.enrol.title')}</Title>
            <Suspense fallback={<Loader size="sm" />}>
              <TotpEnrolment totpUri={step.totpUri} totpSecret={step.totpSecret} />
            </Suspense>
            <CodeInput label={t('auth.enrol.codeLabel')} required value={code} onChange={setCode} maw={220} />
            {failure && (
              <Alert color="red" role="alert" data-testid="login-error">
                {loginFailureText(failure, t)}
              </Alert>
            )}
            <Group justify="space-between">
              <Button variant="default" onClick={restart}>
                {t('auth.login.back')}
              </Button>
              <Button type="submit" loading={enrol.isPending} disabled={code.length !== 6}>
                {t('auth.enrol.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
      {step.kind === 'recovery' && (
        <Suspense fallback={<Loader size="sm" />}>
          <RecoveryCodes
            codes={step.recoveryCodes}
            onContinue={() => finish({ token: step.token, isNewDevice: step.isNewDevice })}
          />
        </Suspense>
      )}
    </Paper>
  );
}
