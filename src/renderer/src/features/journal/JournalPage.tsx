import { Alert, Loader, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentUser } from '../auth/session-context';
import { PatientFinder } from './PatientFinder';
import { PatientRecord } from './PatientRecord';

/**
 * The journal workspace (JRN, ACC, SHR): for clinicians only (ACC-1). Without a patient it finds
 * one (or registers a new one); with one it opens the record, if the access rules allow (ACC-2).
 */
export function JournalPage({ patientId }: { patientId?: string }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (!me.data) return <Loader size="sm" />;
  if (!me.data.roles.includes('clinician')) {
    return (
      <Stack gap="sm">
        <Title order={2}>{t('workspace.journal.title')}</Title>
        <Text c="dimmed">{t('workspace.journal.description')}</Text>
        <Alert color="yellow" data-testid="journal-no-access">
          {t('journal.noAccess')}
        </Alert>
      </Stack>
    );
  }
  // A new key per patient: nothing of one patient's record stays in the state of the next.
  return patientId ? <PatientRecord key={patientId} patientId={patientId} /> : <PatientFinder />;
}
