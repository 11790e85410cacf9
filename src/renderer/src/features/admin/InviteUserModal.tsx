import { Alert, Button, Checkbox, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inviteUserSchema, type Profession, PROFESSIONS } from '../../../../shared/auth-schemas';
import { ROLES, type Role } from '../../../../shared/roles';
import { errorText, fieldErrorMessages, issueMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

const EMPTY = { displayName: '', email: '', phone: '', roles: [] as Role[], profession: '' as Profession | '', hprNumber: '' };

/**
 * AUTH-1: an admin invites a colleague. The form checks with the same schema as the server, and
 * shows the server's own field errors (an e-mail already in use …) beside the fields.
 */
export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const invite = useMutation(trpc.users.invite.mutationOptions());

  const labels = {
    displayName: t('admin.inviteForm.displayName'),
    email: t('admin.inviteForm.email'),
    phone: t('admin.inviteForm.phone'),
    roles: t('admin.inviteForm.roles'),
    profession: t('admin.inviteForm.profession'),
    hprNumber: t('admin.inviteForm.hprNumber'),
  };
  const serverErrors = fieldErrorMessages(invite.error, labels);
  const errors = { ...serverErrors, ...clientErrors };
  const isClinician = form.roles.includes('clinician');

  const close = () => {
    setForm(EMPTY);
    setClientErrors({});
    invite.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.reset();
    const input = {
      displayName: form.displayName,
      email: form.email,
      phone: form.phone,
      roles: form.roles,
      profession: isClinician && form.profession ? form.profession : null,
      hprNumber: isClinician && form.hprNumber.trim() ? form.hprNumber : null,
    };
    const parsed = inviteUserSchema.safeParse(input);
    if (!parsed.success) {
      setClientErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setClientErrors({});
    invite.mutate(input, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('admin.done.invited', { email: parsed.data.email }) });
        void queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
        close();
      },
    });
  };

  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setClientErrors(({ [key]: _dropped, ...rest }) => rest);
  };

  return (
    <Modal opened={opened} onClose={close} title={t('admin.inviteForm.title')} size="lg" data-testid="invite-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('admin.inviteForm.intro')}
          </Text>
          <TextInput label={labels.displayName} required value={form.displayName} onChange={(event) => set('displayName', event.currentTarget.value)} error={errors.displayName} data-autofocus />
          <TextInput label={labels.email} type="email" required value={form.email} onChange={(event) => set('email', event.currentTarget.value)} error={errors.email} />
          <TextInput label={labels.phone} type="tel" required placeholder="+47 912 34 567" value={form.phone} onChange={(event) => set('phone', event.currentTarget.value)} error={errors.phone} />
          <Checkbox.Group label={labels.roles} withAsterisk value={form.roles} onChange={(value) => set('roles', value.filter((role): role is Role => (ROLES as readonly string[]).includes(role)))} error={errors.roles}>
            <Group gap="md" mt={4}>
              {ROLES.map((role) => (
                <Checkbox key={role} value={role} label={t(`role.${role}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          {isClinician && (
            <>
              <Text size="xs" c="dimmed">
                {t('admin.inviteForm.clinicianHint')}
              </Text>
              <Group grow align="flex-start">
                <NativeSelect
                  label={labels.profession}
                  withAsterisk
                  value={form.profession}
                  onChange={(event) => set('profession', (PROFESSIONS as readonly string[]).includes(event.currentTarget.value) ? (event.currentTarget.value as Profession) : '')}
                  data={[{ value: '', label: '—' }, ...PROFESSIONS.map((profession) => ({ value: profession, label: t(`profession.${profession}`) }))]}
                  error={errors.profession}
                />
                <TextInput label={labels.hprNumber} withAsterisk inputMode="numeric" value={form.hprNumber} onChange={(event) => set('hprNumber', event.currentTarget.value)} error={errors.hprNumber} />
              </Group>
            </>
          )}
          {errors[''] && (
            <Alert color="red" role="alert">
              {errors['']}
            </Alert>
          )}
          {invite.error && Object.keys(serverErrors).length === 0 && (
            <Alert color="red" role="alert">
              {errorText(invite.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('admin.inviteForm.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending}>
              {t('admin.inviteForm.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
