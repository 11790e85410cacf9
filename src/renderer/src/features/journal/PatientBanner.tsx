import { Badge, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../lib/format';
import { ageOn, osloToday } from './dates';
import { formatNationalId } from './preview';
import type { AccessBasis, OpenedRecord } from './types';

const BASIS_COLOURS: Record<AccessBasis, string> = { treatment_relationship: 'teal', read_share: 'blue', break_glass: 'red', dsr_case: 'grape' };
/** The AppShell header's height: the banner sticks just below it. */
const HEADER_HEIGHT = 60;

/**
 * Who this journal is about and on what basis it is open, kept on screen while the notes scroll
 * (issue 9): a note is never read or written with the patient out of sight. A read-share or
 * break-glass shows when it ends (ACC-3, SHR-1).
 */
export function PatientBanner({ record }: { record: OpenedRecord }) {
  const { t } = useTranslation();
  const { patient, basis, accessEndsAt } = record;
  return (
    <Paper
      component="section"
      aria-label={t('journal.banner.label')}
      withBorder
      shadow="xs"
      px="md"
      py="xs"
      radius="md"
      data-testid="patient-banner"
      style={{ position: 'sticky', top: HEADER_HEIGHT, zIndex: 5 }}
    >
      <Group justify="space-between" gap="xs" wrap="wrap">
        <Group gap="md" wrap="wrap">
          <Text fw={700} data-testid="banner-name">
            {patient.familyName}, {patient.givenName}
          </Text>
          <Text size="sm" ff="monospace">
            {formatNationalId(patient.nationalId)}
          </Text>
          <Text size="sm">{t('journal.banner.age', { count: ageOn(patient.dateOfBirth, osloToday()) })}</Text>
        </Group>
        <Group gap="xs">
          <Badge color={BASIS_COLOURS[basis]} variant="light" size="lg" data-testid="access-basis">
            {t(`journal.basis.${basis}`)}
          </Badge>
          {accessEndsAt && (
            <Text size="sm" data-testid="access-ends">
              {t('journal.banner.until', { time: formatDateTime(accessEndsAt) })}
            </Text>
          )}
        </Group>
      </Group>
    </Paper>
  );
}
