import { Card, Group, Progress, SimpleGrid, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatTime } from '../../lib/format';
import type { DoctorOnShift } from './types';

/** VIS-3: each doctor on shift that day, with the shift, the zone and the load against the shift's cap. */
export function DoctorsPanel({ doctors }: { doctors: readonly DoctorOnShift[] }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-labelledby="dispatch-doctors" data-testid="dispatch-doctors">
      <Title order={3} size="h4" id="dispatch-doctors" mb="sm">
        {t('visits.doctors.title')}
      </Title>
      {doctors.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('visits.doctors.empty')}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="md" verticalSpacing="sm" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {doctors.map((doctor) => (
            <li key={doctor.shiftId} data-testid="doctor-on-shift">
              <Group justify="space-between" gap="xs" wrap="nowrap">
                <Text fw={600} size="sm">
                  {doctor.name}
                </Text>
                <Text size="sm">{t('visits.doctors.load', { load: doctor.load, cap: doctor.cap })}</Text>
              </Group>
              <Text size="xs" c="dimmed">
                {t('visits.doctors.shift', { from: formatTime(doctor.startsAt), to: formatTime(doctor.endsAt) })} · {doctor.zoneName ?? t('visits.doctors.noZone')}
              </Text>
              <Progress
                mt={4}
                value={doctor.cap > 0 ? Math.min(100, (doctor.load / doctor.cap) * 100) : 100}
                color={doctor.load >= doctor.cap ? 'red' : 'blue'}
                aria-label={t('visits.doctors.loadLabel', { name: doctor.name, load: doctor.load, cap: doctor.cap })}
              />
            </li>
          ))}
        </SimpleGrid>
      )}
    </Card>
  );
}

/** A doctor as an option of a select: name and load, so the coordinator sees who has room. */
export function doctorOptions(doctors: readonly DoctorOnShift[], label: (doctor: DoctorOnShift) => string): { value: string; label: string }[] {
  // One option per doctor even with two shifts that day: the first (the server orders by start).
  const seen = new Set<string>();
  return doctors.filter((doctor) => !seen.has(doctor.id) && seen.add(doctor.id)).map((doctor) => ({ value: doctor.id, label: label(doctor) }));
}
