import { Alert, Anchor, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type PendingWorkspace = 'journal' | 'dpo' | 'admin';

/**
 * The workspace of a role whose features come with a later version: says so plainly, promises
 * nothing it does not do, and points to what the user can already see (their own activity, AUD-7).
 */
export function WorkspacePage({ workspace }: { workspace: PendingWorkspace }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" maw={720} data-testid="pending-workspace" data-workspace={workspace}>
      <Title order={2}>{t(`workspace.${workspace}.title`)}</Title>
      <Alert variant="light" color="blue">
        {t('workspace.notYetAvailable')}
      </Alert>
      <Text c="dimmed">{t(`workspace.${workspace}.description`)}</Text>
      <Text>
        {t('workspace.meanwhile')}{' '}
        <Anchor href="#/activity">{t('user.activity')}</Anchor>.
      </Text>
    </Stack>
  );
}
