import { Badge, Button, Group, Menu, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentUser, useLogout } from '../auth/session-context';

/** AUTH-5, AUD-7: who is logged in, in which roles; their own activity, and logging out. */
export function UserMenu() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const logout = useLogout();
  if (!me.data) return null;
  const user = me.data;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" aria-label={t('user.menu', { name: user.displayName })} data-testid="user-menu" h="auto" py={4}>
          <Stack gap={0} align="flex-end">
            <Text size="sm" fw={600} lh={1.3}>
              {user.displayName}
            </Text>
            <Group gap={4} wrap="nowrap">
              {user.roles.map((role) => (
                <Badge key={role} size="xs" variant="light">
                  {t(`role.${role}`)}
                </Badge>
              ))}
            </Group>
          </Stack>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item component="a" href="#/activity">
          {t('user.activity')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" onClick={() => logout.mutate()}>
          {t('user.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
