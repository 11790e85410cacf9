import { Alert, Badge, Button, Code, Group, Loader, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useQueries } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ACTIVITY_ACTION_GROUPS, type ActivityActionGroup, activityQuerySchema } from '../../../../shared/activity-filters';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages, issueMessages, translateAuditAction, translateAuditReason, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { parseDateInput } from '../journal/dates';

const PAGE_SIZE = 50;

type Filters = { from?: string; to?: string; actionGroup?: ActivityActionGroup };
type ActivityPatient = RouterOutputs['activity']['mine']['events'][number]['patient'];

/** The patient an event concerns: by name only where the server says the user may see them now. */
function PatientCell({ patient }: { patient: ActivityPatient }) {
  const { t } = useTranslation();
  if (!patient) return <>—</>;
  if (!patient.isVisible) return <Text span c="dimmed">{t('activity.hiddenPatient')}</Text>;
  return <>{`${patient.familyName}, ${patient.givenName}`}</>;
}

/**
 * AUD-7: what the audit log holds about the user's own actions (Normen), newest first, narrowed to
 * a period and a kind of action. Older pages come by keyset (`before` = the last id shown), never by
 * offset. The patient an event concerns is named only where the user may open that patient now;
 * the server logs whom it named (AUD-6).
 */
export function ActivityPage() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  // The cursors of the older pages asked for so far: each is the nextBefore of the page above it.
  // Pages stay as fetched while shown, so no event is skipped or shown twice when new ones arrive.
  const [befores, setBefores] = useState<string[]>([]);
  const [filters, setFilters] = useState<Filters>({});
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [actionGroup, setActionGroup] = useState<ActivityActionGroup | ''>('');
  const [filterErrors, setFilterErrors] = useState<Record<string, string>>({});
  const pages = useQueries({
    queries: [undefined, ...befores].map((before) =>
      trpc.activity.mine.queryOptions(
        { limit: PAGE_SIZE, ...filters, ...(before ? { before } : {}) },
        { staleTime: Infinity, refetchOnMount: before === undefined ? 'always' : false },
      ),
    ),
  });

  const first = pages[0];
  const events = pages.flatMap((page) => page.data?.events ?? []);
  const last = pages.at(-1);
  const nextBefore = last?.data?.nextBefore ?? null;
  const isLoadingOlder = befores.length > 0 && last?.isPending === true;
  const labels = { from: t('activity.from'), to: t('activity.to'), actionGroup: t('activity.actionGroup') };
  const serverFilterErrors = fieldErrorMessages(first?.error, labels);
  const shownFilterErrors: Record<string, string | undefined> = { ...serverFilterErrors, ...filterErrors };

  const applyFilters = (event: FormEvent) => {
    event.preventDefault();
    const errors: Record<string, string> = {};
    const from = fromText.trim() === '' ? undefined : parseDateInput(fromText);
    const to = toText.trim() === '' ? undefined : parseDateInput(toText);
    if (from === null) errors.from = translateCode('validation.date', { field: labels.from });
    if (to === null) errors.to = translateCode('validation.date', { field: labels.to });
    const next: Filters = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(actionGroup ? { actionGroup } : {}) };
    const parsed = activityQuerySchema.safeParse(next);
    if (!parsed.success) Object.assign(errors, issueMessages(parsed.error.issues, labels));
    setFilterErrors(errors);
    if (Object.keys(errors).length > 0) return;
    setBefores([]);
    setFilters(next);
  };
  const clearFilters = () => {
    setFromText('');
    setToText('');
    setActionGroup('');
    setFilterErrors({});
    setBefores([]);
    setFilters({});
  };

  return (
    <Stack gap="sm">
      <Title order={2}>{t('activity.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('activity.intro')}
      </Text>
      <form onSubmit={applyFilters} aria-label={t('activity.filters')} noValidate>
        <Group align="flex-end" gap="sm">
          <TextInput label={labels.from} placeholder={t('journal.datePlaceholder')} value={fromText} onChange={(event) => setFromText(event.currentTarget.value)} error={shownFilterErrors.from} w={150} />
          <TextInput label={labels.to} placeholder={t('journal.datePlaceholder')} value={toText} onChange={(event) => setToText(event.currentTarget.value)} error={shownFilterErrors.to} w={150} />
          <NativeSelect
            label={labels.actionGroup}
            value={actionGroup}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setActionGroup((ACTIVITY_ACTION_GROUPS as readonly string[]).includes(value) ? (value as ActivityActionGroup) : '');
            }}
            data={[{ value: '', label: t('activity.allActions') }, ...ACTIVITY_ACTION_GROUPS.map((group) => ({ value: group, label: t(`activity.actionGroups.${group}`) }))]}
            error={shownFilterErrors.actionGroup}
          />
          <Button type="submit">{t('activity.apply')}</Button>
          <Button variant="default" onClick={clearFilters}>
            {t('activity.clear')}
          </Button>
        </Group>
      </form>
      {first?.isPending && <Loader size="sm" />}
      {first?.isError && Object.keys(serverFilterErrors).length === 0 && (
        <Alert color="red" role="alert">
          {errorText(first.error)}
        </Alert>
      )}
      {first?.data && events.length === 0 && <Text>{t('activity.empty')}</Text>}
      {events.length > 0 && (
        <Table.ScrollContainer minWidth={800}>
          <Table striped aria-label={t('activity.tableLabel')} data-testid="activity-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('activity.time')}</Table.Th>
                <Table.Th>{t('activity.action')}</Table.Th>
                <Table.Th>{t('activity.patient')}</Table.Th>
                <Table.Th>{t('activity.outcome')}</Table.Th>
                <Table.Th>{t('activity.reason')}</Table.Th>
                <Table.Th>{t('activity.method')}</Table.Th>
                <Table.Th>{t('activity.device')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id} data-action={event.action}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.occurredAt, { seconds: true })}</Table.Td>
                  <Table.Td>{translateAuditAction(event.action)}</Table.Td>
                  <Table.Td>
                    <PatientCell patient={event.patient} />
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={event.outcome === 'denied' ? 'red' : 'teal'}>
                      {translateCode(`activity.outcomes.${event.outcome}`, {}, event.outcome)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{event.reason ? translateAuditReason(event.reason) : '—'}</Table.Td>
                  <Table.Td>{event.authMethod ? translateCode(`activity.methods.${event.authMethod.replace(/\W/g, '_')}`, {}, event.authMethod) : '—'}</Table.Td>
                  <Table.Td>{event.deviceId ? <Code title={event.deviceId}>{event.deviceId.slice(0, 8)}</Code> : '—'}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {last?.isError && befores.length > 0 && (
        <Alert color="red" role="alert">
          {errorText(last.error)}
        </Alert>
      )}
      {(nextBefore || isLoadingOlder) && (
        <Group>
          <Button variant="default" onClick={() => nextBefore && setBefores([...befores, nextBefore])} loading={isLoadingOlder}>
            {t('activity.loadOlder')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
