import { ActionIcon, Alert, Badge, Button, Checkbox, Group, Loader, Menu, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/roles';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDate, formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useCurrentUser } from '../auth/session-context';
import { useStepUpMutation } from '../auth/step-up';
import { ConfirmModal } from '../shared/ConfirmModal';
import { AuthorisationRegisterModal } from './AuthorisationRegisterModal';
import { InviteUserModal } from './InviteUserModal';
import { NoteTemplatesSection } from './NoteTemplatesSection';

type UserSummary = RouterOutputs['users']['list'][number];
type PendingAction = { kind: 'lock' | 'revoke' | 'reset' | 'roles' | 'register'; user: UserSummary };

/** User administration (admin only): the users, invitations, and what an admin may do to an account. */
export function AdminPage() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (!me.data) return <Loader size="sm" />;
  if (!me.data.roles.includes('admin')) {
    return (
      <Stack gap="sm">
        <Title order={2}>{t('admin.title')}</Title>
        <Alert color="yellow" data-testid="admin-no-access">
          {t('admin.noAccess')}
        </Alert>
      </Stack>
    );
  }
  return <UserAdministration ownUserId={me.data.userId} />;
}

function UserAdministration({ ownUserId }: { ownUserId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const users = useQuery(trpc.users.list.queryOptions(undefined, { staleTime: 0 }));
  const [isInviteOpen, setIsInviteOpen] = useState(false);
  const [pending, setPending] = useState<PendingAction | null>(null);

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const done = (message: string) => {
    notifications.show({ color: 'teal', message });
    setPending(null);
    void refresh();
  };
  const unlock = useMutation(
    trpc.users.unlock.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
    }),
  );

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2}>{t('admin.title')}</Title>
        <Button onClick={() => setIsInviteOpen(true)}>{t('admin.invite')}</Button>
      </Group>
      <Title order={3} size="h4">
        {t('admin.users')}
      </Title>
      {users.isPending && <Loader size="sm" />}
      {users.isError && (
        <Alert color="red" role="alert">
          {errorText(users.error)}
        </Alert>
      )}
      {users.data && (
        <Table.ScrollContainer minWidth={960}>
          <Table striped highlightOnHover horizontalSpacing="xs" fz="sm" aria-label={t('admin.usersLabel')} data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>
                  {t('admin.name')} / {t('admin.email')}
                </Table.Th>
                <Table.Th>{t('admin.roles')}</Table.Th>
                <Table.Th>{t('admin.professionHpr')}</Table.Th>
                <Table.Th>{t('admin.status')}</Table.Th>
                <Table.Th>{t('admin.secondFactor')}</Table.Th>
                <Table.Th>{t('admin.locked')}</Table.Th>
                <Table.Th>{t('admin.lastLogin')}</Table.Th>
                <Table.Th>{t('admin.sessions')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('admin.actionsColumn')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.map((user) => (
                <Table.Tr key={user.id} data-email={user.email}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {user.displayName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {user.roles.map((role) => (
                        <Badge key={role} size="sm" variant="light">
                          {t(`role.${role}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    {user.profession ? translateCode(`profession.${user.profession}`, {}, user.profession) : '—'}
                    {user.hprNumber ? ` / ${user.hprNumber}` : ''}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" color={user.status === 'active' ? 'teal' : user.status === 'invited' ? 'blue' : 'gray'}>
                      {t(`admin.statuses.${user.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td data-testid="second-factor-cell">{user.isSecondFactorEnrolled ? t('admin.yes') : t('admin.no')}</Table.Td>
                  <Table.Td>
                    {user.isLocked ? (
                      <Text size="sm" c="red">
                        {user.isLockedByAdmin ? t('admin.lockedByAdmin') : user.lockedUntil ? t('admin.lockedUntil', { time: formatDateTime(user.lockedUntil) }) : t('admin.yes')}
                      </Text>
                    ) : (
                      t('admin.no')
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('admin.never')}
                    {user.inactivityWarnedAt && (
                      <Text size="xs" data-testid="inactivity-warning">
                        {t('admin.inactivityWarned', { date: formatDate(user.inactivityWarnedAt) })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{user.openSessions}</Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={t('admin.actions.menu', { name: user.displayName })}>
                          <span aria-hidden="true">⋯</span>
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {user.isLocked ? (
                          <Menu.Item onClick={() => unlock.mutate({ userId: user.id }, { onSuccess: () => done(t('admin.done.unlocked', { name: user.displayName })) })}>
                            {t('admin.actions.unlock')}
                          </Menu.Item>
                        ) : (
                          <Menu.Item disabled={user.id === ownUserId} onClick={() => setPending({ kind: 'lock', user })}>
                            {t('admin.actions.lock')}
                          </Menu.Item>
                        )}
                        <Menu.Item onClick={() => setPending({ kind: 'revoke', user })}>{t('admin.actions.revokeSessions')}</Menu.Item>
                        <Menu.Item onClick={() => setPending({ kind: 'roles', user })}>{t('admin.actions.changeRoles')}</Menu.Item>
                        <Menu.Item onClick={() => setPending({ kind: 'register', user })}>{t('admin.actions.register')}</Menu.Item>
                        <Menu.Divider />
                        <Menu.Item color="red" disabled={!user.isSecondFactorEnrolled} onClick={() => setPending({ kind: 'reset', user })}>
                          {t('admin.actions.resetSecondFactor')}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <NoteTemplatesSection />
      <InviteUserModal opened={isInviteOpen} onClose={() => setIsInviteOpen(false)} />
      <ConfirmAction pending={pending?.kind === 'roles' || pending?.kind === 'register' ? null : pending} onCancel={() => setPending(null)} onDone={done} />
      <AuthorisationRegisterModal user={pending?.kind === 'register' ? { id: pending.user.id, displayName: pending.user.displayName } : null} onClose={() => setPending(null)} />
      <RolesModal user={pending?.kind === 'roles' ? pending.user : null} onCancel={() => setPending(null)} onDone={done} />
    </Stack>
  );
}

/** The destructive actions, each behind a confirmation; the reset also behind a step-up (AUTH-3, AUTH-5). */
function ConfirmAction({ pending, onCancel, onDone }: { pending: PendingAction | null; onCancel: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const lock = useMutation(trpc.users.lock.mutationOptions());
  const revoke = useMutation(trpc.users.revokeSessions.mutationOptions());
  const reset = useStepUpMutation(trpc.users.resetSecondFactor.mutationOptions());
  const mutation = pending?.kind === 'lock' ? lock : pending?.kind === 'revoke' ? revoke : reset;
  const name = pending?.user.displayName ?? '';
  const texts = {
    lock: { title: t('admin.confirm.lockTitle'), body: t('admin.confirm.lockBody', { name }), action: t('admin.actions.lock'), done: t('admin.done.locked', { name }) },
    revoke: { title: t('admin.confirm.revokeTitle'), body: t('admin.confirm.revokeBody', { name }), action: t('admin.actions.revokeSessions'), done: t('admin.done.revoked', { name }) },
    reset: { title: t('admin.confirm.resetTitle'), body: t('admin.confirm.resetBody', { name }), action: t('admin.actions.resetSecondFactor'), done: t('admin.done.reset', { name }) },
    roles: { title: '', body: '', action: '', done: '' },
    register: { title: '', body: '', action: '', done: '' },
  }[pending?.kind ?? 'lock'];
  const fieldErrors = fieldErrorMessages(mutation.error, {});

  const cancel = () => {
    lock.reset();
    revoke.reset();
    reset.reset();
    onCancel();
  };
  const confirm = () => {
    if (!pending) return;
    const onSuccess = () => {
      mutation.reset();
      onDone(texts.done);
    };
    if (pending.kind === 'lock') lock.mutate({ userId: pending.user.id }, { onSuccess });
    else if (pending.kind === 'revoke') revoke.mutate({ userId: pending.user.id }, { onSuccess });
    else reset.mutate({ userId: pending.user.id }, { onSuccess });
  };

  return (
    <ConfirmModal
      opened={pending !== null}
      title={texts.title}
      body={texts.body}
      actionLabel={texts.action}
      cancelLabel={t('admin.confirm.cancel')}
      errorMessage={mutation.error ? (fieldErrors[''] ?? errorText(mutation.error)) : undefined}
      isPending={mutation.isPending}
      isDestructive
      testId="confirm-modal"
      onCancel={cancel}
      onConfirm={confirm}
    />
  );
}

function RolesModal({ user, onCancel, onDone }: { user: UserSummary | null; onCancel: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [roles, setRoles] = useState<Role[] | null>(null);
  const changeRoles = useMutation(trpc.users.changeRoles.mutationOptions());
  const chosen = roles ?? user?.roles ?? [];
  const errors = fieldErrorMessages(changeRoles.error, { roles: t('admin.roles') });
  const close = () => {
    setRoles(null);
    changeRoles.reset();
    onCancel();
  };
  const save = () => {
    if (!user) return;
    changeRoles.mutate(
      { userId: user.id, roles: chosen },
      {
        onSuccess: () => {
          setRoles(null);
          changeRoles.reset();
          onDone(t('admin.done.rolesChanged', { name: user.displayName }));
        },
      },
    );
  };
  return (
    <Modal opened={user !== null} onClose={close} title={t('admin.rolesForm.title', { name: user?.displayName ?? '' })} centered data-testid="roles-modal">
      <Stack gap="sm">
        <Checkbox.Group label={t('admin.roles')} value={chosen} onChange={(value) => setRoles(value.filter((role): role is Role => (ROLES as readonly string[]).includes(role)))} error={errors.roles}>
          <Stack gap={6} mt={4}>
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} label={t(`role.${role}`)} />
            ))}
          </Stack>
        </Checkbox.Group>
        {changeRoles.error && !errors.roles && (
          <Alert color="red" role="alert">
            {errors[''] ?? errorText(changeRoles.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('admin.rolesForm.cancel')}
          </Button>
          <Button onClick={save} loading={changeRoles.isPending} disabled={chosen.length === 0}>
            {t('admin.rolesForm.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
