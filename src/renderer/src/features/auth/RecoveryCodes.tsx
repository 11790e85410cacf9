import { Alert, Button, Checkbox, Code, CopyButton, Group, List, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * AUTH-3: the ten recovery codes, shown once. The user must say they have kept them before going
 * on; the codes exist nowhere else in readable form.
 */
export function RecoveryCodes({ codes, onContinue, continueLabel }: { codes: string[]; onContinue: () => void; continueLabel?: string }) {
  const { t } = useTranslation();
  const [isSaved, setIsSaved] = useState(false);
  return (
    <Stack gap="sm" data-testid="recovery-codes">
      <Title order={3}>{t('auth.recovery.title')}</Title>
      <Alert color="yellow" variant="light">
        <Text size="sm">{t('auth.recovery.intro')}</Text>
      </Alert>
      <List
        aria-label={t('auth.recovery.listLabel')}
        listStyleType="none"
        spacing={4}
        style={{ columns: 2, maxWidth: 420 }}
        data-testid="recovery-code-list"
      >
        {codes.map((code) => (
          <List.Item key={code}>
            <Code fz="md">{code}</Code>
          </List.Item>
        ))}
      </List>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="light" color={copied ? 'teal' : 'gray'} onClick={copy}>
              {copied ? t('auth.recovery.copied') : t('auth.recovery.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Checkbox label={t('auth.recovery.saved')} checked={isSaved} onChange={(event) => setIsSaved(event.currentTarget.checked)} />
      <Group>
        <Button disabled={!isSaved} onClick={onContinue}>
          {continueLabel ?? t('auth.recovery.continue')}
        </Button>
      </Group>
    </Stack>
  );
}
