import { Alert, Anchor, Button, Center, Group, Loader, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiErrorCode } from '../../lib/api-error';
import { formatCalendarDate } from '../../lib/format';
import { errorText, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { BreakGlassModal } from './BreakGlassModal';
import { NoteDeletionProvider } from './DeletionModal';
import { JournalDeletions } from './JournalDeletions';
import { NotesPanel } from './NotesPanel';
import { PatientBanner } from './PatientBanner';
import { PatientFormModal } from './PatientFormModal';
import { formatNationalId } from './preview';
import { SharingPanel } from './SharingPanel';
import type { OpenedRecord } from './types';
import { usePrint } from './use-print';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';

/**
 * One patient's journal (JRN-1…5). Opening it is the access decision (ACC-2…5): refused, the page
 * shows no patient data at all — only why, and for want of a basis the way to break-glass (ACC-3).
 */
export function PatientRecord({ patientId }: { patientId: string }) {
  const trpc = useTRPC();
  // Asked anew on every visit, and forgotten when the page goes: access may have ended meanwhile.
  // One request brings the header, the basis and the first page of notes (the server's default page
  // size is the notes panel's, 25).
  const open = useQuery(trpc.journal.open.queryOptions({ patientId }, { staleTime: 0, gcTime: 0, retry: false }));

  if (open.isError) return <DeniedAccess patientId={patientId} error={open.error} onRetry={() => void open.refetch()} />;
  if (!open.data) {
    return (
      <Center mt="xl">
        <Loader size="sm" />
      </Center>
    );
  }
  return <OpenRecord record={open.data} />;
}

function BackLink() {
  const { t } = useTranslation();
  return (
    <Anchor href="#/journal" size="sm">
      ← {t('journal.backToSearch')}
    </Anchor>
  );
}

function DeniedAccess({ patientId, error, onRetry }: { patientId: string; error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [isBreakGlassOpen, setIsBreakGlassOpen] = useState(false);
  const code = apiErrorCode(error);
  let body: ReactNode;
  if (code === API_ERROR_MESSAGES.accessNoBasis) {
    body = (
      <Alert color="orange" title={t('journal.denied.noBasisTitle')} data-testid="journal-denied" data-reason="no_basis">
        <Stack gap="sm" align="flex-start">
          <Text size="sm">{t('journal.denied.noBasis')}</Text>
          <Text size="sm">{t('journal.denied.breakGlassHint')}</Text>
          <Button color="red" variant="outline" onClick={() => setIsBreakGlassOpen(true)}>
            {t('journal.breakGlass.open')}
          </Button>
        </Stack>
      </Alert>
    );
  } else if (code === API_ERROR_MESSAGES.accessBlocked) {
    body = (
      <Alert color="red" title={t('journal.denied.blockedTitle')} data-testid="journal-denied" data-reason="blocked">
        {t('journal.denied.blocked')}
      </Alert>
    );
  } else if (code === API_ERROR_MESSAGES.notFound) {
    body = (
      <Alert color="gray" data-testid="journal-denied" data-reason="not_found">
        {t('journal.denied.notFound')}
      </Alert>
    );
  } else {
    body = (
      <Alert color="red" role="alert">
        <Stack gap="xs" align="flex-start">
          {errorText(error)}
          <Button size="xs" variant="default" onClick={onRetry}>
            {t('error.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  return (
    <Stack gap="sm">
      <BackLink />
      <Title order={2}>{t('journal.denied.title')}</Title>
      {body}
      <BreakGlassModal
        opened={isBreakGlassOpen}
        target={{ patientId }}
        onClose={() => setIsBreakGlassOpen(false)}
        onGranted={() => {
          setIsBreakGlassOpen(false);
          void queryClient.invalidateQueries({ queryKey: trpc.journal.open.queryKey({ patientId }) });
        }}
      />
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function OpenRecord({ record }: { record: OpenedRecord }) {
  const { t } = useTranslation();
  const { patient, basis } = record;
  const { print, isPrinting, printingNoteId } = usePrint(patient.id);
  const [isEditOpen, setIsEditOpen] = useState(false);
  // The sharing panel loads (and is logged as read) only when asked for; the notes stay mounted.
  const [tab, setTab] = useState<'notes' | 'sharing'>('notes');
  const isTreating = basis === 'treatment_relationship';
  const canWrite = basis !== 'read_share';
  const notes = <NotesPanel patientId={patient.id} basis={basis} correctionRequests={record.correctionRequests} firstPage={record.notes} onPrintNote={(noteId) => print(noteId)} printingNoteId={printingNoteId ?? null} />;

  return (
    // JRN-4: deleting a note by decision is for a clinician who treats the patient.
    <NoteDeletionProvider canDecide={isTreating}>
      <Stack gap="md">
        <BackLink />
        <PatientBanner record={record} />
        <Paper withBorder p="md" radius="md" data-testid="patient-header">
          <Stack gap="sm">
            <Group justify="space-between" align="flex-start" gap="sm">
              <Title order={2}>
                {patient.givenName} {patient.familyName}
              </Title>
              <Group gap="xs">
                <Button variant="default" onClick={() => print()} loading={isPrinting && printingNoteId === null}>
                  {t('journal.print.journal')}
                </Button>
                {canWrite && (
                  <Button variant="default" onClick={() => setIsEditOpen(true)}>
                    {t('journal.register.edit')}
                  </Button>
                )}
              </Group>
            </Group>
            <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm" verticalSpacing="xs">
              <Field label={t('journal.patient.nationalId')}>{formatNationalId(patient.nationalId)}</Field>
              <Field label={t('journal.patient.dateOfBirth')}>{formatCalendarDate(patient.dateOfBirth)}</Field>
              <Field label={t('journal.patient.gender')}>{translateCode(`journal.genders.${patient.gender}`, {}, patient.gender)}</Field>
              <Field label={t('journal.patient.address')}>{patient.address ?? '—'}</Field>
              <Field label={t('journal.patient.phone')}>{patient.phone ?? '—'}</Field>
              <Field label={t('journal.patient.email')}>{patient.email ?? '—'}</Field>
              <Field label={t('journal.patient.nextOfKin')}>{patient.nextOfKin ?? '—'}</Field>
            </SimpleGrid>
          </Stack>
        </Paper>
        {basis === 'break_glass' && (
          <Alert color="red" variant="light" data-testid="break-glass-notice">
            {t('journal.breakGlass.active')}
          </Alert>
        )}
        {basis === 'read_share' && (
          <Alert color="blue" variant="light">
            {record.isLimitedToSharedNotes ? t('journal.readShare.selected') : t('journal.readShare.whole')}
          </Alert>
        )}
        {record.hasBlockedNotes && (
          <Alert color="yellow" variant="light" data-testid="blocked-notice">
            {t('journal.blockedNotes')}
          </Alert>
        )}
        <JournalDeletions patientId={patient.id} />
        {isTreating ? (
          <Tabs value={tab} onChange={(value) => setTab(value === 'sharing' ? 'sharing' : 'notes')}>
            <Tabs.List>
              <Tabs.Tab value="notes">{t('journal.tabs.notes')}</Tabs.Tab>
              <Tabs.Tab value="sharing">{t('journal.tabs.sharing')}</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="notes" pt="md">
              {notes}
            </Tabs.Panel>
            <Tabs.Panel value="sharing" pt="md">
              {tab === 'sharing' && <SharingPanel patientId={patient.id} />}
            </Tabs.Panel>
          </Tabs>
        ) : (
          notes
        )}
        {canWrite && <PatientFormModal key={String(isEditOpen)} opened={isEditOpen} patient={patient} onClose={() => setIsEditOpen(false)} onSaved={() => setIsEditOpen(false)} />}
      </Stack>
    </NoteDeletionProvider>
  );
}
