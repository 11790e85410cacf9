import { Alert, Button, Group, Loader, Paper, Stack, Stepper, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorCode } from '../../lib/api-error';
import { formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { PasswordField } from './PasswordField';
import { CodeInput } from './CodeInput';
import { setLoginEmailHint } from './LoginPage';
import { RecoveryCodes } from './RecoveryCodes';
import { TotpEnrolment } from './TotpEnrolment';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';

const INVITATION_INVALID = API_ERROR_MESSAGES.invitationInvalid;

/**
 * AUTH-1…3: the invitee opens the e-mailed link, proves the phone with the SMS code, chooses a
 * password (AUTH-2 policy, checked by the server), enrols the authenticator app with its first
 * code, and keeps the ten recovery codes. No session is needed, nor made: the login comes after.
 */
export function InvitationWizard({ token }: { token: string | null }) {
  const { t } = useTranslation();
  if (token === null) return <InvalidInvitation />;
  return (
    <Paper withBorder p="lg" maw={720} mx="auto" mt="lg" data-testid="invitation-wizard">
      <Stack gap="md">
        <Title order={2}>{t('auth.invitation.title')}</Title>
        <InvitationSteps token={token} />
      </Stack>
    </Paper>
  );
}

function InvalidInvitation() {
  const { t } = useTranslation();
  return (
    <Alert color="red" role="alert" maw={640} mx="auto" mt="lg" data-testid="invitation-invalid">
      {t('auth.invitation.invalid')}
    </Alert>
  );
}

function InvitationSteps({ token }: { token: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  // Opening is logged on the server: once per visit is enough.
  const invitation = useQuery(trpc.auth.invitation.open.queryOptions({ token }, { retry: false, staleTime: Infinity, gcTime: 0 }));
  const verifySms = useMutation(trpc.auth.invitation.verifySmsCode.mutationOptions());
  const complete = useMutation(trpc.auth.invitation.complete.mutationOptions());
  const [smsCode, setSmsCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [isMismatchShown, setIsMismatchShown] = useState(false);

  if (invitation.isPending) return <Loader size="sm" aria-label={t('auth.invitation.loading')} />;
  if (invitation.isError) {
    if (apiErrorCode(invitation.error) === INVITATION_INVALID) return <InvalidInvitation />;
    return (
      <Alert color="red" role="alert">
        {errorText(invitation.error)}
      </Alert>
    );
  }
  if ([verifySms.error, complete.error].some((error) => apiErrorCode(error) === INVITATION_INVALID)) return <InvalidInvitation />;

  const enrolment = verifySms.data;
  const done = complete.data;
  const active = done ? 2 : enrolment ? 1 : 0;
  const smsErrors = fieldErrorMessages(verifySms.error, { code: t('auth.invitation.smsLabel') });
  const accountErrors = fieldErrorMessages(complete.error, { password: t('auth.invitation.passwordLabel'), totpCode: t('auth.enrol.codeLabel') });
  const mismatch = isMismatchShown && repeat !== password ? t('auth.invitation.passwordMismatch') : undefined;

  const submitSms = (event: FormEvent) => {
    event.preventDefault();
    verifySms.mutate({ token, code: smsCode });
  };
  const submitAccount = (event: FormEvent) => {
    event.preventDefault();
    setIsMismatchShown(true);
    if (password !== repeat) return;
    complete.mutate({ token, password, totpCode }, { onSuccess: () => setPassword('') });
  };

  return (
    <Stack gap="md">
      <Text>{t('auth.invitation.who', { name: invitation.data.displayName, email: invitation.data.email, organisation: invitation.data.organisationName })}</Text>
      <Text size="sm" c="dimmed">
        {t('auth.invitation.expires', { time: formatDateTime(invitation.data.expiresAt) })}
      </Text>
      <Stepper active={active} size="sm" allowNextStepsSelect={false}>
        <Stepper.Step label={t('auth.invitation.steps.sms')}>
          <form onSubmit={submitSms}>
            <Stack gap="sm" maw={420}>
              <Text size="sm">{t('auth.invitation.smsIntro')}</Text>
              <CodeInput label={t('auth.invitation.smsLabel')} required autoFocus value={smsCode} onChange={setSmsCode} error={smsErrors.code} />
              {smsErrors[''] && <Alert color="red">{smsErrors['']}</Alert>}
              {verifySms.error && !smsErrors.code && !smsErrors[''] && (
                <Alert color="red" role="alert">
                  {errorText(verifySms.error)}
                </Alert>
              )}
              <Group>
                <Button type="submit" loading={verifySms.isPending} disabled={smsCode.length !== 6}>
                  {t('auth.invitation.smsSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Stepper.Step>
        <Stepper.Step label={t('auth.invitation.steps.account')}>
          {enrolment && (
            <form onSubmit={submitAccount}>
              <Stack gap="md">
                <Stack gap="sm" maw={420}>
                  <PasswordField
                    label={t('auth.invitation.passwordLabel')}
                    description={t('auth.invitation.policy')}
                    autoComplete="new-password"
                    required
                    value={password}
                    onChange={(event) => setPassword(event.currentTarget.value)}
                    error={accountErrors.password}
                  />
                  <PasswordField
                    label={t('auth.invitation.passwordRepeat')}
                    autoComplete="new-password"
                    required
                    value={repeat}
                    onChange={(event) => setRepeat(event.currentTarget.value)}
                    error={mismatch}
                  />
                </Stack>
                <TotpEnrolment totpUri={enrolment.totpUri} totpSecret={enrolment.totpSecret} />
                <CodeInput label={t('auth.enrol.codeLabel')} required value={totpCode} onChange={setTotpCode} error={accountErrors.totpCode} maw={220} />
                {accountErrors[''] && <Alert color="red">{accountErrors['']}</Alert>}
                {complete.error && Object.keys(accountErrors).length === 0 && (
                  <Alert color="red" role="alert">
                    {errorText(complete.error)}
                  </Alert>
                )}
                <Group>
                  <Button type="submit" loading={complete.isPending} disabled={totpCode.length !== 6 || password === ''}>
                    {t('auth.invitation.complete')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
        </Stepper.Step>
        <Stepper.Step label={t('auth.invitation.steps.recovery')}>
          {done && (
            <Stack gap="md">
              <Alert color="teal">{t('auth.invitation.done')}</Alert>
              <RecoveryCodes
                codes={done.recoveryCodes}
                continueLabel={t('auth.invitation.toLogin')}
                onContinue={() => {
                  setLoginEmailHint(done.email);
                  window.location.hash = '/';
                }}
              />
            </Stack>
          )}
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}
