import { Anchor, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { hashOf } from '../shell/routes';

/**
 * The patient of a calendar entry: a link to the journal where the server named them (the reader
 * may see them), otherwise only that there is someone (ACC-2: no name without access).
 */
export function EntryPatient({ patient }: { patient: { id: string; givenName: string; familyName: string } | null }) {
  const { t } = useTranslation();
  if (!patient) {
    return (
      <Text size="sm" c="dimmed" fs="italic">
        {t('consultations.hiddenPatient')}
      </Text>
    );
  }
  return (
    <Anchor href={hashOf({ page: 'patient', patientId: patient.id })} fw={500} size="sm">
      {patient.familyName}, {patient.givenName}
    </Anchor>
  );
}
