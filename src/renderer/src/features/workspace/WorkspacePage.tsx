import { Alert, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type PendingWorkspace = 'journal' | 'visits' | 'crm' | 'dpo' | 'admin';

/** The frame of a workspace whose features come with a later issue; says so plainly. */
export function WorkspacePage({ workspace }: { workspace: PendingWorkspace }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Title order={2}>{t(`workspace.${workspace}.title`)}</Title>
      <Text c="dimmed">{t(`workspace.${workspace}.description`)}</Text>
      <Alert variant="light" color="blue">
        {t('workspace.notYetAvailable')}
      </Alert>
    </Stack>
  );
}
