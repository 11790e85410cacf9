import { Alert, Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDate, formatDateTime, formatTime } from '../../lib/format';
import { errorText, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { EntryKind } from '../consultations/EntryKind';
import { EntryPatient } from '../consultations/EntryPatient';
import { timeSpanOf } from '../consultations/entry-text';
import { PatientFinder } from '../journal/PatientFinder';
import { ClinicianOnly } from '../shared/ClinicianOnly';
import { hashOf } from '../shell/routes';
import { StatusBadge } from '../visits/VisitBadges';

/**
 * JRN-6: the clinician's day — today's consultations and home visits, their unsigned drafts (those
 * older than the clinic's limit highlighted) and the patients they opened lately. Each patient
 * opens the journal. The server names only patients the clinician may see, and logs them (AUD-6).
 */
export function StartPage() {
  const { t } = useTranslation();
  return (
    <ClinicianOnly title={t('start.title')} message={t('consultations.noAccess')}>
      <StartPageContent />
    </ClinicianOnly>
  );
}

function StartPageContent() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  // Always fresh: the lists change with every booking and note, and each read is logged anyway.
  const page = useQuery(trpc.start.today.queryOptions(undefined, { staleTime: 0, gcTime: 0 }));

  if (page.isError) {
    return (
      <Alert color="red" role="alert">
        {errorText(page.error)}
      </Alert>
    );
  }
  if (!page.data) return <Loader size="sm" />;
  const { appointments, drafts, recentPatients, draftAgeLimitDays, today, homeVisits } = page.data;

  return (
    <Stack gap="md" data-testid="start-page">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>{t('start.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('start.today', { date: formatCalendarDate(today) })}
          </Text>
        </div>
        <Anchor href={hashOf({ page: 'consultations' })}>{t('start.openCalendar')}</Anchor>
      </Group>

      {/* Finding a patient starts the day as often as the lists do: after login, typing goes here. */}
      <PatientFinder titleOrder={3} />

      <StartSection id="start-appointments" title={t('start.appointments.title')} emptyText={appointments.length === 0 ? t('start.appointments.empty') : null}>
        <Table aria-labelledby="start-appointments" data-testid="start-appointments">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('start.appointments.time')}</Table.Th>
              <Table.Th>{t('start.appointments.patient')}</Table.Th>
              <Table.Th>{t('start.appointments.kind')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {appointments.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{timeSpanOf(entry)}</Table.Td>
                <Table.Td>
                  <EntryPatient patient={entry.patient} />
                </Table.Td>
                <Table.Td>
                  <EntryKind entry={entry} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </StartSection>

      {/* VIS-3: the doctor's home visits of the day, when there are any; the work itself is on "Mine besøk". */}
      {homeVisits.length > 0 && (
        <StartSection id="start-home-visits" title={t('visits.mine.startTitle')} emptyText={null}>
          <Stack gap={6} component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="start-home-visits">
            {homeVisits.map((visit) => (
              <li key={visit.id}>
                <Group gap="xs" wrap="nowrap">
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {formatTime(visit.eta ?? visit.earliestAt)}
                  </Text>
                  <Text size="sm">{[visit.fullName, [visit.postcode, visit.city].filter(Boolean).join(' ')].filter(Boolean).join(' · ')}</Text>
                  <StatusBadge status={visit.status} />
                </Group>
              </li>
            ))}
          </Stack>
          <Anchor href={hashOf({ page: 'visits' })} size="sm" mt="xs" display="inline-block">
            {t('visits.mine.open')}
          </Anchor>
        </StartSection>
      )}

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <StartSection id="start-drafts" title={t('start.drafts.title')} intro={t('start.drafts.intro', { count: draftAgeLimitDays })} emptyText={drafts.length === 0 ? t('start.drafts.empty') : null}>
          <Table aria-labelledby="start-drafts" data-testid="start-drafts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('start.drafts.patient')}</Table.Th>
                <Table.Th>{t('start.drafts.noteType')}</Table.Th>
                <Table.Th>{t('start.drafts.started')}</Table.Th>
                <Table.Th>{t('start.drafts.age')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {drafts.map((draft) => (
                <Table.Tr key={draft.noteId} bg={draft.isOverdue ? 'var(--mantine-color-red-light)' : undefined} data-overdue={draft.isOverdue || undefined}>
                  <Table.Td>
                    <EntryPatient patient={draft.patient} />
                  </Table.Td>
                  <Table.Td>{translateCode(`journal.noteTypes.${draft.noteType}`, {}, draft.noteType)}</Table.Td>
                  <Table.Td>{formatDate(draft.createdAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Group gap={6} wrap="nowrap">
                      {t('start.drafts.ageDays', { count: draft.ageDays })}
                      {draft.isOverdue && (
                        <Badge color="red" variant="filled" size="sm">
                          {t('start.drafts.overdue')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </StartSection>

        <StartSection id="start-recent" title={t('start.recent.title')} emptyText={recentPatients.length === 0 ? t('start.recent.empty') : null}>
          <Stack gap={6} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }} data-testid="start-recent">
            {recentPatients.map((patient) => (
              <li key={patient.id}>
                <Group gap="xs" justify="space-between" wrap="nowrap">
                  <EntryPatient patient={patient} />
                  <Text size="xs" c="dimmed">
                    {t('start.recent.opened', { time: formatDateTime(patient.openedAt) })}
                  </Text>
                </Group>
              </li>
            ))}
          </Stack>
        </StartSection>
      </SimpleGrid>
    </Stack>
  );
}

/** One list of the start page: a titled section, its list, or a line saying it is empty. */
function StartSection({ id, title, intro, emptyText, children }: { id: string; title: string; intro?: string; emptyText: string | null; children: ReactNode }) {
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Title order={3} size="h4" id={id} mb={intro ? 0 : 'sm'}>
        {title}
      </Title>
      {intro && (
        <Text size="sm" c="dimmed" mb="sm">
          {intro}
        </Text>
      )}
      {emptyText === null ? (
        children
      ) : (
        <Text size="sm" c="dimmed">
          {emptyText}
        </Text>
      )}
    </Card>
  );
}
