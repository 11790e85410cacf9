import { Alert, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DpoSection } from '../shell/routes';

/** Stands in for a tool of the DPO's workspace while it is being built (replaced, never shipped as done). */
export function DpoPlaceholder({ section }: { section: DpoSection | 'flags' }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      <Title order={2}>{t(`dpo.nav.${section}`)}</Title>
      <Alert variant="light" color="blue">
        {t('workspace.notYetAvailable')}
      </Alert>
    </Stack>
  );
}
