import { Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessReportSchema, findPatientForReportSchema } from '../../../../../shared/dpo-report-schemas';
import { deliverPdf } from '../../../lib/download';
import { formatCalendarDate, formatDateTime } from '../../../lib/format';
import { errorText, issueMessages, translateAuditAction, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { useStepUpMutation } from '../../auth/step-up';

interface Patient {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}

const fullName = (patient: Patient) => `${patient.givenName} ${patient.familyName}`;

/**
 * DPO-3: the patient access report ("innsyn i logg"). The DPO finds the patient (fødselsnummer or
 * name), picks a period (Oslo days; none: the last twelve months) and sees who opened the journal
 * or saw the patient in a list, with the basis in plain words; the PDF for the patient is made and
 * logged by the backend behind step-up, as every export.
 */
export function AccessReportPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [query, setQuery] = useState('');
  const [submittedQuery, setSubmittedQuery] = useState<string | null>(null);
  const [queryError, setQueryError] = useState<string | null>(null);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  const [period, setPeriod] = useState<{ from?: string; to?: string } | null>(null);
  const [periodErrors, setPeriodErrors] = useState<Record<string, string>>({});

  const found = useQuery(trpc.dpo.accessReport.findPatient.queryOptions({ query: submittedQuery ?? '' }, { enabled: submittedQuery !== null, staleTime: 0, gcTime: 0 }));
  const reportInput = { patientId: patient?.id ?? '', ...(period ?? {}) };
  const report = useQuery(trpc.dpo.accessReport.get.queryOptions(reportInput, { enabled: patient !== null && period !== null, staleTime: 0, gcTime: 0 }));
  const exportPdf = useStepUpMutation(trpc.dpo.accessReport.exportPdf.mutationOptions());

  const labels = { query: t('dpoReport.accessReport.search'), from: t('dpoReport.accessReport.from'), to: t('dpoReport.accessReport.to') };

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = findPatientForReportSchema.safeParse({ query });
    if (!parsed.success) {
      setQueryError(issueMessages(parsed.error.issues, labels).query ?? errorText(parsed.error));
      return;
    }
    setQueryError(null);
    setPatient(null);
    setPeriod(null);
    setSubmittedQuery(parsed.data.query);
  };

  const showReport = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!patient) return;
    const input = { patientId: patient.id, ...(from ? { from } : {}), ...(to ? { to } : {}) };
    const parsed = accessReportSchema.safeParse(input);
    if (!parsed.success) {
      setPeriodErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setPeriodErrors({});
    setPeriod({ ...(from ? { from } : {}), ...(to ? { to } : {}) });
  };

  const print = () => {
    if (!patient || !period) return;
    exportPdf.mutate(
      { patientId: patient.id, ...period },
      {
        onSuccess: async (result) => {
          try {
            const delivery = await deliverPdf(result);
            if (delivery !== 'cancelled') notifications.show({ color: 'teal', message: delivery === 'saved' ? t('dpoReport.accessReport.exported') : t('dpoReport.accessReport.downloaded', { fileName: result.fileName }) });
          } catch {
            notifications.show({ color: 'red', message: t('dpoReport.accessReport.saveFailed') });
          }
        },
        onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
      },
    );
  };

  return (
    <Stack gap="md" data-testid="access-report-page">
      <Title order={2}>{t('dpoReport.accessReport.title')}</Title>
      <Text c="dimmed">{t('dpoReport.accessReport.intro')}</Text>

      <form onSubmit={search} noValidate>
        <Group align="flex-end">
          <TextInput
            label={labels.query}
            description={t('dpoReport.accessReport.searchHint')}
            value={query}
            onChange={(event) => setQuery(event.currentTarget.value)}
            error={queryError}
            autoComplete="off"
            style={{ flex: 1, maxWidth: 420 }}
          />
          <Button type="submit">{t('dpoReport.accessReport.find')}</Button>
        </Group>
      </form>

      {found.isFetching && <Loader size="sm" aria-label={t('dpoReport.loading')} />}
      {found.error && <Alert color="red">{errorText(found.error)}</Alert>}
      {found.data && patient === null && (
        <Stack gap="xs" aria-label={t('dpoReport.accessReport.results')} role="region">
          {found.data.length === 0 ? (
            <Text>{t('dpoReport.accessReport.noResults')}</Text>
          ) : (
            found.data.map((candidate) => (
              <Group key={candidate.id} gap="sm">
                <Button variant="light" onClick={() => setPatient(candidate)} aria-label={t('dpoReport.accessReport.choose', { name: fullName(candidate) })}>
                  {candidate.familyName}, {candidate.givenName}
                </Button>
                <Text size="sm">{t('dpoReport.accessReport.born', { date: formatCalendarDate(candidate.dateOfBirth) })}</Text>
              </Group>
            ))
          )}
        </Stack>
      )}

      {patient && (
        <Paper withBorder p="md">
          <Stack gap="sm">
            <Text fw={600}>{t('dpoReport.accessReport.chosen', { name: fullName(patient), date: formatCalendarDate(patient.dateOfBirth) })}</Text>
            <form onSubmit={showReport} noValidate>
              <Group align="flex-end">
                <TextInput type="date" label={labels.from} value={from ?? ''} onChange={(event) => setFrom(event.currentTarget.value || null)} error={periodErrors.from} />
                <TextInput type="date" label={labels.to} value={to ?? ''} onChange={(event) => setTo(event.currentTarget.value || null)} error={periodErrors.to} />
                <Button type="submit">{t('dpoReport.accessReport.show')}</Button>
              </Group>
            </form>
            <Text size="sm" c="dimmed">
              {t('dpoReport.accessReport.periodHint')}
            </Text>
          </Stack>
        </Paper>
      )}

      {report.isFetching && <Loader size="sm" aria-label={t('dpoReport.loading')} />}
      {report.error && <Alert color="red">{errorText(report.error)}</Alert>}
      {report.data && patient && period && (
        <Stack gap="sm">
          <Group justify="space-between">
            <Text>{t('dpoReport.accessReport.count', { count: report.data.rows.length, from: formatCalendarDate(report.data.from), to: formatCalendarDate(report.data.to) })}</Text>
            <Button onClick={print} loading={exportPdf.isPending}>
              {t('dpoReport.accessReport.exportPdf')}
            </Button>
          </Group>
          {report.data.isTruncated && <Alert color="yellow">{t('dpoReport.accessReport.truncated')}</Alert>}
          {report.data.rows.length === 0 ? (
            <Text>{t('dpoReport.accessReport.empty')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={900}>
              <Table striped aria-label={t('dpoReport.accessReport.tableLabel', { name: fullName(patient) })} data-testid="access-report-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('dpoReport.accessReport.when')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.who')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.role')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.profession')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.organisation')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.what')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.basis')}</Table.Th>
                    <Table.Th scope="col">{t('dpoReport.accessReport.inList')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.data.rows.map((row) => (
                    <Table.Tr key={row.id}>
                      <Table.Td>{formatDateTime(row.occurredAt)}</Table.Td>
                      <Table.Td>{row.userName}</Table.Td>
                      <Table.Td>{row.roles.map((role) => translateCode(`role.${role}`, {}, role)).join(', ')}</Table.Td>
                      <Table.Td>{row.profession ? translateCode(`profession.${row.profession}`, {}, row.profession) : '—'}</Table.Td>
                      <Table.Td>{row.organisationName}</Table.Td>
                      <Table.Td>{translateAuditAction(row.action)}</Table.Td>
                      <Table.Td>
                        {translateCode(`dpoReport.basis.${row.basis}`, {}, row.basis)}
                        {row.reasonCode ? `: ${translateCode(`dpoReport.breakGlassReason.${row.reasonCode}`, {}, row.reasonCode)}` : ''}
                      </Table.Td>
                      <Table.Td>{row.isList ? <Badge variant="light" color="grape">{t('dpoReport.accessReport.inListYes')}</Badge> : ''}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </Stack>
  );
}
