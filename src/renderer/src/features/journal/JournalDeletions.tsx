import { Accordion, Alert, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatCalendarDate, formatDate } from '../../lib/format';
import { errorText } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';

/**
 * JRN-4: the patient's deletion decisions — that a note was deleted, when, by whose decision, on
 * what ground and why; never what it said. Nothing is shown when there are none, and otherwise one
 * collapsed line with the count (issue 9): the notes come first, the decisions are one click away.
 * Kept mounted while collapsed, so the decisions are in the page's text (search, screen readers' find).
 */
export function JournalDeletions({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const deletions = useQuery(trpc.journal.deletions.queryOptions({ patientId }, { staleTime: 0, gcTime: 0, retry: false }));
  if (deletions.isError) {
    return (
      <Alert color="red" role="alert">
        {errorText(deletions.error)}
      </Alert>
    );
  }
  if (!deletions.data || deletions.data.length === 0) return null;
  return (
    <Accordion variant="contained" radius="md" keepMounted keepMountedMode="display-none" data-testid="journal-deletions">
      <Accordion.Item value="deletions">
        <Accordion.Control>
          <Text size="sm" fw={500}>
            {t('journal.deletions.summary', { count: deletions.data.length })}
          </Text>
        </Accordion.Control>
        <Accordion.Panel>
          <Stack gap="xs" aria-label={t('journal.deletions.title')}>
            {deletions.data.map((deletion) => (
              <Stack key={deletion.id} gap={2} data-testid="deletion-record" data-deletion-id={deletion.id}>
                <Text size="sm">
                  {t('journal.deletions.entry', { date: formatDate(deletion.decidedAt), name: deletion.decidedByName, ground: t(`journal.deletions.grounds.${deletion.legalGround}`) })}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('journal.deletions.requested', { date: formatCalendarDate(deletion.requestedAt) })} {t('journal.deletions.versions', { count: deletion.versionsDeleted })}{' '}
                  {deletion.consultedAuthorName
                    ? t('journal.deletions.consulted', { name: deletion.consultedAuthorName })
                    : deletion.authorNotConsultedReason
                      ? t(`journal.deletions.notConsulted.${deletion.authorNotConsultedReason}`)
                      : null}
                </Text>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
                  {t('journal.deletions.reason', { reason: deletion.reason })}
                </Text>
              </Stack>
            ))}
          </Stack>
        </Accordion.Panel>
      </Accordion.Item>
    </Accordion>
  );
}
