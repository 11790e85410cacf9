import { Alert, Button, Center, Group, Modal, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorKind } from '../../lib/api-error';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useCurrentUser, useLogout, useSession, useSessionStore } from './session-context';

/**
 * AUTH-5, DESK-4: the lock screen covers the whole window (nothing of the page shows through), but
 * the page underneath stays mounted, so whatever was typed is still there after unlocking.
 */
export function LockScreen() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const store = useSessionStore();
  const { isLocked } = useSession();
  const me = useCurrentUser();
  const [password, setPassword] = useState('');
  const unlock = useMutation(trpc.auth.session.unlock.mutationOptions());
  const logout = useLogout();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    unlock.mutate(
      { password },
      {
        onSuccess: () => {
          setPassword('');
          unlock.reset();
          store.unlock();
        },
      },
    );
  };

  return (
    <Modal
      opened={isLocked}
      onClose={() => {}}
      fullScreen
      withCloseButton={false}
      closeOnEscape={false}
      closeOnClickOutside={false}
      transitionProps={{ duration: 0 }}
      aria-labelledby="lock-screen-title"
      data-testid="lock-screen"
      styles={{ content: { background: 'var(--mantine-color-gray-1)' } }}
    >
      <Center mih="80vh">
        <Paper withBorder shadow="sm" p="xl" w={420}>
          <form onSubmit={submit}>
            <Stack gap="sm">
              <Title order={2} id="lock-screen-title">
                {t('auth.lock.title')}
              </Title>
              <Text size="sm">{t('auth.lock.body')}</Text>
              {me.data && (
                <Text size="sm" c="dimmed">
                  {t('auth.lock.signedInAs', { name: me.data.displayName })}
                </Text>
              )}
              <PasswordInput
                label={t('auth.lock.password')}
                autoComplete="current-password"
                required
                data-autofocus
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
              />
              {unlock.error && (
                <Alert color="red" role="alert">
                  {apiErrorKind(unlock.error) === undefined ? errorText(unlock.error) : t('auth.lock.failed')}
                </Alert>
              )}
              <Group justify="space-between">
                <Button variant="default" onClick={() => logout.mutate()} loading={logout.isPending}>
                  {t('auth.lock.logout')}
                </Button>
                <Button type="submit" loading={unlock.isPending}>
                  {t('auth.lock.unlock')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Modal>
  );
}
