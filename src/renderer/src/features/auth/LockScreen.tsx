import { Alert, Button, Center, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorKind } from '../../lib/api-error';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { PasswordField } from './PasswordField';
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
    // Modal.Root so the dialog is named by its own heading (Modal.Title), placed in the middle.
    <Modal.Root
      opened={isLocked}
      onClose={() => {}}
      fullScreen
      closeOnEscape={false}
      closeOnClickOutside={false}
      transitionProps={{ duration: 0 }}
      // Above every dialog and notification (Mantine: modals 200, notifications 400): nothing shows through.
      zIndex={1000}
      data-testid="lock-screen"
    >
      <Modal.Content bg="gray.1">
        <Modal.Body>
          <Center mih="80vh">
            <Paper withBorder shadow="sm" p="xl" w={420}>
              <form onSubmit={submit}>
                <Stack gap="sm">
                  <Modal.Title fz="h2" fw={700}>
                    {t('auth.lock.title')}
                  </Modal.Title>
                  <Text size="sm">{t('auth.lock.body')}</Text>
                  {me.data && (
                    <Text size="sm" c="dimmed">
                      {t('auth.lock.signedInAs', { name: me.data.displayName })}
                    </Text>
                  )}
                  <PasswordField
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
        </Modal.Body>
      </Modal.Content>
    </Modal.Root>
  );
}
