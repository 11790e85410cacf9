import { Alert, Badge, Button, NativeSelect, Paper, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DSR_CORRECTION_TEXT_MAX, requestCorrectionSchema } from '../../../../../shared/dsr-schemas';
import { formatDateTime } from '../../../../../shared/oslo-time';
import { errorText, fieldErrorMessages, issueMessages } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';

export interface CorrectionView {
  id: string;
  assignedToName: string | null;
  requestedChange: string;
  requestedAt: Date | string;
  requestedByName: string | null;
  status: 'open' | 'amended' | 'refused';
  answeredAt: Date | string | null;
  answeredByName: string | null;
}

export interface CorrectionCandidateView {
  id: string;
  name: string;
  profession: string | null;
  isResponsible: boolean;
}

const STATUS_COLOURS = { open: 'orange', amended: 'teal', refused: 'gray' } as const;

/**
 * DPO-4, JRN-4: a rectification request's correction of the journal. The DPO never writes journal
 * content: they ask the responsible clinician, whose journal shows the request; the clinician
 * answers by amending the note (a new signed version with its reason) or by recording the refusal
 * in the journal, and the answer shows here and in the case's history.
 */
export function RectificationPanel({
  caseId,
  corrections,
  candidates,
  isClosed,
  hasPatient,
  isIdentityVerified,
  onSaved,
}: {
  caseId: string;
  corrections: readonly CorrectionView[];
  candidates: readonly CorrectionCandidateView[];
  isClosed: boolean;
  hasPatient: boolean;
  isIdentityVerified: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [assigneeId, setAssigneeId] = useState('');
  const [requestedChange, setRequestedChange] = useState('');
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const labels = { assigneeId: t('dpoCases.rectification.assignee'), requestedChange: t('dpoCases.rectification.requestedChange'), caseId: t('dpoCases.rectification.case') };
  const ask = useMutation(
    trpc.dpo.cases.requestCorrection.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoCases.rectification.sent') });
        setAssigneeId('');
        setRequestedChange('');
        onSaved();
      },
    }),
  );
  const errors = { ...(ask.error ? fieldErrorMessages(ask.error, labels) : {}), ...clientErrors };
  const general = errors[''] ?? errors.caseId ?? (ask.error && Object.keys(errors).length === 0 ? errorText(ask.error) : undefined);
  const blocker = isClosed ? null : !hasPatient ? t('dpoCases.rectification.needsPatient') : !isIdentityVerified ? t('dpoCases.rectification.needsIdentity') : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = requestCorrectionSchema.safeParse({ caseId, assigneeId, requestedChange });
    if (!parsed.success) {
      setClientErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setClientErrors({});
    ask.mutate(parsed.data);
  };

  return (
    <Paper withBorder p="md" data-testid="dsr-rectification">
      <Title order={3} size="h4" mb="xs">
        {t('dpoCases.rectification.title')}
      </Title>
      <Text size="sm" mb="sm">
        {t('dpoCases.rectification.intro')}
      </Text>
      {corrections.length > 0 && (
        <Table.ScrollContainer minWidth={640} mb="sm">
          <Table fz="sm" striped data-testid="dsr-corrections">
            <Table.Caption>{t('dpoCases.rectification.caption')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('dpoCases.rectification.sentAt')}</Table.Th>
                <Table.Th scope="col">{t('dpoCases.rectification.assignee')}</Table.Th>
                <Table.Th scope="col">{t('dpoCases.rectification.requestedChange')}</Table.Th>
                <Table.Th scope="col">{t('dpoCases.rectification.answer')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {corrections.map((correction) => (
                <Table.Tr key={correction.id} data-testid="dsr-correction" data-status={correction.status}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(correction.requestedAt)}</Table.Td>
                  <Table.Td>{correction.assignedToName ?? ''}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{correction.requestedChange}</Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <Badge variant="light" color={STATUS_COLOURS[correction.status]}>
                        {t(`dpoCases.rectification.status.${correction.status}`)}
                      </Badge>
                      {correction.answeredAt && (
                        <Text size="xs">{t('dpoCases.rectification.answeredBy', { name: correction.answeredByName ?? '', at: formatDateTime(correction.answeredAt) })}</Text>
                      )}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {blocker && (
        <Alert color="yellow" variant="light">
          {blocker}
        </Alert>
      )}
      {!isClosed && !blocker && (
        <form onSubmit={submit} noValidate>
          <Stack gap="xs">
            <NativeSelect
              label={labels.assigneeId}
              description={t('dpoCases.rectification.assigneeHint')}
              required
              value={assigneeId}
              onChange={(event) => setAssigneeId(event.currentTarget.value)}
              data={[
                { value: '', label: t('dpoCases.rectification.choose') },
                ...candidates.map((candidate) => ({
                  value: candidate.id,
                  label: candidate.isResponsible ? t('dpoCases.rectification.responsible', { name: candidate.name }) : candidate.name,
                })),
              ]}
              error={errors.assigneeId}
              data-testid="correction-assignee"
            />
            <Textarea
              label={labels.requestedChange}
              description={t('dpoCases.rectification.requestedChangeHint')}
              required
              autosize
              minRows={3}
              maxRows={10}
              maxLength={DSR_CORRECTION_TEXT_MAX}
              value={requestedChange}
              onChange={(event) => setRequestedChange(event.currentTarget.value)}
              error={errors.requestedChange}
              data-testid="correction-text"
            />
            {general && (
              <Alert color="red" role="alert">
                {general}
              </Alert>
            )}
            <div>
              <Button type="submit" loading={ask.isPending} data-testid="correction-submit">
                {t('dpoCases.rectification.submit')}
              </Button>
            </div>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
