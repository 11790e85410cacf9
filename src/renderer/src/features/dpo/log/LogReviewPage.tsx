import { Alert, Badge, Button, Group, Loader, NativeSelect, Stack, Text, TextInput, Title } from '@mantine/core';
import { DatePickerInput, DatesProvider } from '@mantine/dates';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import 'dayjs/locale/nb';
import { type FormEvent, useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOG_OUTCOMES, LOG_REVIEW_STATES, logSearchSchema } from '../../../../../shared/dpo-log-schemas';
import { addDays, osloCalendarDate } from '../../../../../shared/oslo-time';
import type { RouterOutputs } from '../../../lib/api-types';
import { errorText, fieldErrorMessages, issueMessages } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { EventDrawer } from './EventDrawer';
import { LOG_ACTION_GROUPS, LOG_BASES, type LogEvent, type LogSearchFilters } from './log-types';
import { LogTable } from './LogTable';
import { ReviewModal } from './ReviewModal';

const PAGE_SIZE = 100;
const DEFAULT_DAYS = 7;

type PatientHit = RouterOutputs['dpo']['log']['findPatient'][number];

function defaultFilters(): LogSearchFilters {
  const today = osloCalendarDate(new Date());
  return { from: addDays(today, -DEFAULT_DAYS), to: today };
}

/**
 * DPO-1: the DPO's review of the audit log. Filters by patient (found by fødselsnummer or name),
 * user, action group, basis, outcome, review state and period (Oslo days); a virtualised table paged
 * by the server's keyset; an event's details and context in a drawer; selected events marked
 * reviewed with a comment. Every search, context and lookup is logged by the server (AUD-6).
 */
export function LogReviewPage() {
  const { t, i18n } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<LogSearchFilters>(defaultFilters);
  const [order, setOrder] = useState<'desc' | 'asc'>('desc');
  // The form's state; applied to `filters` by "Søk".
  const [draft, setDraft] = useState<LogSearchFilters>(filters);
  const [patientQuery, setPatientQuery] = useState('');
  const [patientHits, setPatientHits] = useState<PatientHit[] | null>(null);
  const [patient, setPatient] = useState<PatientHit | null>(null);
  const [isFinding, setIsFinding] = useState(false);
  const [findError, setFindError] = useState<string | null>(null);
  const [formErrors, setFormErrors] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [opened, setOpened] = useState<LogEvent | null>(null);
  const [isReviewing, setIsReviewing] = useState(false);
  const [savedCount, setSavedCount] = useState<number | null>(null);

  const users = useQuery(trpc.dpo.log.users.queryOptions(undefined, { staleTime: 5 * 60_000 }));
  const search = useInfiniteQuery(
    trpc.dpo.log.search.infiniteQueryOptions(
      { ...filters, order, limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, staleTime: Infinity, refetchOnWindowFocus: false },
    ),
  );
  const events = useMemo(() => search.data?.pages.flatMap((page) => page.events) ?? [], [search.data]);
  const labels = {
    patientId: t('dpoLog.patient'),
    userId: t('dpoLog.user'),
    action: t('dpoLog.action'),
    basis: t('dpoLog.basis'),
    outcome: t('dpoLog.outcome'),
    reviewed: t('dpoLog.reviewed'),
    from: t('dpoLog.from'),
    to: t('dpoLog.to'),
    query: t('dpoLog.patientQuery'),
  };
  const serverErrors = fieldErrorMessages(search.error, labels);
  const shownErrors: Record<string, string | undefined> = { ...serverErrors, ...formErrors };
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = search;
  const loadMore = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const findPatient = async () => {
    setFindError(null);
    setIsFinding(true);
    try {
      const hits = await queryClient.fetchQuery(trpc.dpo.log.findPatient.queryOptions({ query: patientQuery }, { staleTime: 0 }));
      setPatientHits(hits);
      if (hits.length === 1) setPatient(hits[0] as PatientHit);
    } catch (error) {
      setFindError(fieldErrorMessages(error, labels).query ?? errorText(error));
    } finally {
      setIsFinding(false);
    }
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: LogSearchFilters = { ...draft, ...(patient ? { patientId: patient.id } : {}) };
    if (!patient) delete next.patientId;
    const parsed = logSearchSchema.safeParse(next);
    if (!parsed.success) {
      setFormErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setFormErrors({});
    setSelected(new Set());
    setFilters(next);
  };
  const reset = () => {
    const initial = defaultFilters();
    setDraft(initial);
    setPatient(null);
    setPatientHits(null);
    setPatientQuery('');
    setFormErrors({});
    setSelected(new Set());
    setFilters(initial);
  };
  const setDraftField = <K extends keyof LogSearchFilters>(key: K, value: LogSearchFilters[K] | '') =>
    setDraft((current) => {
      const next = { ...current };
      if (value === '' || value === undefined || value === null) delete next[key];
      else next[key] = value as LogSearchFilters[K];
      return next;
    });
  const toggleSelected = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <Stack gap="sm">
      <Title order={2}>{t('dpoLog.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('dpoLog.intro')}
      </Text>
      <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'nb', firstDayOfWeek: 1 }}>
        <form onSubmit={apply} aria-label={t('dpoLog.filters')} noValidate>
          <Stack gap="xs">
            <Group align="flex-end" gap="sm">
              <TextInput
                label={labels.query}
                value={patientQuery}
                onChange={(change) => setPatientQuery(change.currentTarget.value)}
                onKeyDown={(key) => {
                  if (key.key === 'Enter') {
                    key.preventDefault();
                    void findPatient();
                  }
                }}
                error={findError ?? undefined}
                w={300}
              />
              <Button variant="default" onClick={() => void findPatient()} loading={isFinding} disabled={patientQuery.trim().length < 2}>
                {t('dpoLog.findPatient')}
              </Button>
              {patientHits && patientHits.length > 1 && (
                <NativeSelect
                  label={t('dpoLog.patientHits')}
                  value={patient?.id ?? ''}
                  onChange={(change) => setPatient(patientHits.find((hit) => hit.id === change.currentTarget.value) ?? null)}
                  data={[{ value: '', label: t('dpoLog.anyPatient') }, ...patientHits.map((hit) => ({ value: hit.id, label: `${hit.name} (${hit.dateOfBirth})` }))]}
                />
              )}
              {patientHits && patientHits.length === 0 && <Text size="sm">{t('dpoLog.noPatientHits')}</Text>}
              {patient && (
                <Group gap={4}>
                  <Badge size="lg" variant="light" data-testid="patient-filter">
                    {labels.patientId}: {patient.name}
                  </Badge>
                  <Button size="compact-sm" variant="subtle" onClick={() => setPatient(null)}>
                    {t('dpoLog.removePatient')}
                  </Button>
                </Group>
              )}
            </Group>
            <Group align="flex-end" gap="sm">
              <NativeSelect
                label={labels.userId}
                value={draft.userId ?? ''}
                onChange={(change) => setDraftField('userId', change.currentTarget.value)}
                data={[{ value: '', label: t('dpoLog.anyUser') }, ...(users.data ?? []).map((user) => ({ value: user.id, label: user.name }))]}
                error={shownErrors.userId}
                w={200}
              />
              <NativeSelect
                label={labels.action}
                value={draft.action ?? ''}
                onChange={(change) => setDraftField('action', change.currentTarget.value)}
                data={[{ value: '', label: t('dpoLog.anyAction') }, ...LOG_ACTION_GROUPS.map((group) => ({ value: group, label: t(`dpoLog.groups.${group}`) }))]}
                error={shownErrors.action}
              />
              <NativeSelect
                label={labels.basis}
                value={draft.basis ?? ''}
                onChange={(change) => setDraftField('basis', change.currentTarget.value)}
                data={[{ value: '', label: t('dpoLog.anyBasis') }, ...LOG_BASES.map((basis) => ({ value: basis, label: t(`dpoLog.bases.${basis}`) }))]}
                error={shownErrors.basis}
              />
              <NativeSelect
                label={labels.outcome}
                value={draft.outcome ?? ''}
                onChange={(change) => setDraftField('outcome', change.currentTarget.value as LogSearchFilters['outcome'])}
                data={[{ value: '', label: t('dpoLog.anyOutcome') }, ...LOG_OUTCOMES.map((outcome) => ({ value: outcome, label: t(`dpoLog.outcomes.${outcome}`) }))]}
                error={shownErrors.outcome}
              />
              <NativeSelect
                label={labels.reviewed}
                value={draft.reviewed ?? ''}
                onChange={(change) => setDraftField('reviewed', change.currentTarget.value as LogSearchFilters['reviewed'])}
                data={[{ value: '', label: t('dpoLog.anyReviewed') }, ...LOG_REVIEW_STATES.map((state) => ({ value: state, label: t(`dpoLog.reviewStates.${state}`) }))]}
                error={shownErrors.reviewed}
              />
              <DatePickerInput
                label={labels.from}
                valueFormat="DD.MM.YYYY"
                placeholder={t('dpoLog.datePlaceholder')}
                value={draft.from}
                onChange={(value) => setDraftField('from', value ?? '')}
                error={shownErrors.from}
                popoverProps={{ withinPortal: true }}
                w={150}
              />
              <DatePickerInput
                label={labels.to}
                valueFormat="DD.MM.YYYY"
                placeholder={t('dpoLog.datePlaceholder')}
                value={draft.to}
                onChange={(value) => setDraftField('to', value ?? '')}
                error={shownErrors.to}
                popoverProps={{ withinPortal: true }}
                w={150}
              />
              <Button type="submit">{t('dpoLog.search')}</Button>
              <Button variant="default" onClick={reset}>
                {t('dpoLog.reset')}
              </Button>
            </Group>
          </Stack>
        </form>
      </DatesProvider>
      {savedCount !== null && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setSavedCount(null)} closeButtonLabel={t('dpoLog.cancel')}>
          {t('dpoLog.reviewSaved', { count: savedCount })}
        </Alert>
      )}
      {search.isError && (Object.keys(serverErrors).length === 0 || serverErrors[''] !== undefined) && (
        <Alert color="red" role="alert">
          {serverErrors[''] ?? errorText(search.error)}
        </Alert>
      )}
      <Group justify="space-between">
        <Text size="sm" role="status" data-testid="log-count">
          {search.isPending ? '' : t('dpoLog.shownCount', { count: events.length })}
          {hasNextPage ? ` (${t('dpoLog.moreAvailable')})` : ''}
        </Text>
        <Group gap="xs">
          {selected.size > 0 && (
            <Button variant="subtle" onClick={() => setSelected(new Set())}>
              {t('dpoLog.clearSelection')}
            </Button>
          )}
          <Button disabled={selected.size === 0} onClick={() => setIsReviewing(true)}>
            {selected.size > 0 ? t('dpoLog.markReviewedCount', { count: selected.size }) : t('dpoLog.markReviewed')}
          </Button>
        </Group>
      </Group>
      {search.isPending && <Loader size="sm" />}
      {search.data && events.length === 0 && <Text>{t('dpoLog.empty')}</Text>}
      {events.length > 0 && (
        <LogTable
          events={events}
          hasMore={hasNextPage}
          isLoadingMore={isFetchingNextPage}
          onLoadMore={loadMore}
          order={order}
          onToggleOrder={() => setOrder((current) => (current === 'desc' ? 'asc' : 'desc'))}
          selected={selected}
          onToggleSelected={toggleSelected}
          onOpen={setOpened}
        />
      )}
      {hasNextPage && (
        <Group>
          <Button variant="default" onClick={loadMore} loading={isFetchingNextPage}>
            {t('dpoLog.loadMore')}
          </Button>
        </Group>
      )}
      <EventDrawer event={opened} onClose={() => setOpened(null)} />
      <ReviewModal
        eventIds={[...selected]}
        opened={isReviewing}
        onClose={() => setIsReviewing(false)}
        onSaved={(count) => {
          setIsReviewing(false);
          setSelected(new Set());
          setSavedCount(count);
          void queryClient.invalidateQueries({ queryKey: trpc.dpo.log.search.pathKey() });
        }}
      />
    </Stack>
  );
}
