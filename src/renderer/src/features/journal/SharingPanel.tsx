import { Alert, Badge, Button, Checkbox, Group, Loader, Modal, NativeSelect, Radio, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { addDays, osloInstant, osloTimeOfDay, osloToday, parseDateInput, parseTimeInput, toDateInput } from './dates';
import { noteLabel } from './note-label';
import type { SharingOverview } from './types';
import { ConfirmModal } from '../shared/ConfirmModal';

type Scope = 'whole_journal' | 'selected_notes';
type Consent = SharingOverview['consents'][number];
type Share = SharingOverview['shares'][number];
type Block = SharingOverview['blocks'][number];
type Pending = { kind: 'withdraw'; consent: Consent } | { kind: 'revoke'; share: Share } | { kind: 'lift'; block: Block };

const GIVEN_BY = ['patient', 'guardian', 'representative'] as const;
const METHODS = ['verbal', 'written', 'digital'] as const;

/** Keeps only the messages that were found (undefined ones are no error). */
function found(errors: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The errors of a form: its own checks first, then the server's field errors, then a general one. */
function formErrors(error: unknown, labels: Record<string, string>, clientErrors: Record<string, string>) {
  const serverErrors = fieldErrorMessages(error, labels);
  const errors: Record<string, string | undefined> = { ...serverErrors, ...clientErrors };
  const general = error && Object.keys(serverErrors).every((key) => key === '') ? (serverErrors[''] ?? errorText(error)) : undefined;
  return { errors, general };
}

/**
 * A dialog's form: its values (changing one clears the errors shown), the errors found before
 * sending, and starting over (after sending, or on closing), which also forgets the last server error.
 */
function useDialogForm<Form extends object>(initial: () => Form, mutation: { reset: () => void }, onClose: () => void) {
  const [form, setForm] = useState(initial);
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setClientErrors({});
  };
  /** After sending: the next time the dialog opens, it is empty. */
  const startOver = () => {
    setForm(initial());
    setClientErrors({});
    mutation.reset();
  };
  const close = () => {
    startOver();
    onClose();
  };
  return { form, set, clientErrors, setClientErrors, startOver, close };
}

function GeneralError({ message }: { message: string | undefined }) {
  return message ? (
    <Alert color="red" role="alert">
      {message}
    </Alert>
  ) : null;
}

/**
 * SHR-1…3 and ACC-2, ACC-4 for a clinician who treats the patient: the patient's consents, the
 * read-shares resting on them, the patient's blocks ("sperringer") and the care team. Every change
 * takes effect at once on the server and is logged there.
 */
export function SharingPanel({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.sharing.overview.queryOptions({ patientId }, { staleTime: 0, gcTime: 0, retry: false }));
  const [dialog, setDialog] = useState<'consent' | 'share' | 'block' | 'careTeam' | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.sharing.overview.queryKey({ patientId }) });
  const done = (message: string) => {
    notifications.show({ color: 'teal', message });
    setDialog(null);
    setPending(null);
    refresh();
  };

  if (overview.isPending) return <Loader size="sm" />;
  if (overview.isError) {
    return (
      <Alert color="red" role="alert">
        {errorText(overview.error)}
      </Alert>
    );
  }
  const { consents, shares, blocks, careTeam } = overview.data;
  const activeConsents = consents.filter((consent) => consent.withdrawnAt === null);
  const consentById = new Map(consents.map((consent) => [consent.id, consent]));
  // Whether a share has run out, as of when the overview was fetched.
  const now = overview.dataUpdatedAt;
  const shareStatus = (share: Share): 'active' | 'revoked' | 'expired' | 'consentWithdrawn' => {
    if (share.revokedAt) return 'revoked';
    if (consentById.get(share.consentId)?.withdrawnAt) return 'consentWithdrawn';
    if (share.endsAt && new Date(share.endsAt).getTime() <= now) return 'expired';
    return 'active';
  };

  const orDash = (value: string | null, format: (value: string) => string) => (value ? format(value) : '—');
  const scopeText = (record: { scope: Scope; noteIds: readonly string[] }) =>
    record.scope === 'selected_notes' ? t('sharing.scope.notesCount', { count: record.noteIds.length }) : t('sharing.scope.whole_journal');

  return (
    <Stack gap="lg" data-testid="sharing-panel">
      <Section title={t('sharing.consents.title')} intro={t('sharing.consents.intro')} addLabel={t('sharing.consents.add')} onAdd={() => setDialog('consent')}>
        <RecordTable
          label={t('sharing.consents.title')}
          testId="consents-table"
          emptyText={t('sharing.consents.empty')}
          minWidth={760}
          rows={consents}
          rowProps={(consent) => ({ 'data-consent-id': consent.id })}
          columns={[
            { header: t('sharing.consents.givenAt'), noWrap: true, cell: (consent) => orDash(consent.givenAt, formatDateTime) },
            { header: t('sharing.consents.givenBy'), cell: (consent) => translateCode(`sharing.givenBy.${consent.givenBy}`, {}, consent.givenBy) },
            { header: t('sharing.consents.method'), cell: (consent) => translateCode(`sharing.methods.${consent.method}`, {}, consent.method) },
            { header: t('sharing.scope.label'), cell: (consent) => translateCode(`sharing.scope.${consent.scope}`, {}, consent.scope) },
            { header: t('sharing.purpose'), cell: (consent) => consent.purpose },
            { header: t('sharing.consents.recordedBy'), cell: (consent) => consent.recordedByName ?? '—' },
            {
              header: t('sharing.status.label'),
              cell: (consent) =>
                consent.withdrawnAt ? (
                  <StatusBadge color="gray" label={t('sharing.status.withdrawnAt', { date: formatDate(consent.withdrawnAt) })} />
                ) : (
                  <StatusBadge color="teal" label={t('sharing.status.active')} />
                ),
            },
            {
              header: '',
              cell: (consent) =>
                !consent.withdrawnAt && <RowAction label={t('sharing.consents.withdraw')} isDestructive onClick={() => setPending({ kind: 'withdraw', consent })} />,
            },
          ]}
        />
      </Section>

      <Section title={t('sharing.shares.title')} intro={t('sharing.shares.intro')} addLabel={t('sharing.shares.add')} onAdd={() => setDialog('share')}>
        <RecordTable
          label={t('sharing.shares.title')}
          testId="shares-table"
          emptyText={t('sharing.shares.empty')}
          minWidth={760}
          rows={shares}
          rowProps={(share) => ({ 'data-share-id': share.id })}
          columns={[
            { header: t('sharing.shares.grantee'), cell: (share) => share.granteeName },
            { header: t('sharing.scope.label'), cell: scopeText },
            { header: t('sharing.purpose'), cell: (share) => share.purpose },
            { header: t('sharing.shares.from'), noWrap: true, cell: (share) => orDash(share.startsAt, formatDate) },
            { header: t('sharing.shares.until'), noWrap: true, cell: (share) => orDash(share.endsAt, formatDate) },
            {
              header: t('sharing.status.label'),
              cell: (share) => {
                const status = shareStatus(share);
                return <StatusBadge color={status === 'active' ? 'teal' : 'gray'} label={t(`sharing.status.${status}`)} />;
              },
            },
            {
              header: '',
              cell: (share) => shareStatus(share) === 'active' && <RowAction label={t('sharing.shares.revoke')} isDestructive onClick={() => setPending({ kind: 'revoke', share })} />,
            },
          ]}
        />
      </Section>

      <Section title={t('sharing.blocks.title')} intro={t('sharing.blocks.intro')} addLabel={t('sharing.blocks.add')} onAdd={() => setDialog('block')}>
        <RecordTable
          label={t('sharing.blocks.title')}
          testId="blocks-table"
          emptyText={t('sharing.blocks.empty')}
          minWidth={640}
          rows={blocks}
          rowProps={(block) => ({ 'data-block-id': block.id })}
          columns={[
            { header: t('sharing.blocks.person'), cell: (block) => block.blockedName },
            { header: t('sharing.scope.label'), cell: scopeText },
            { header: t('sharing.blocks.requestedAt'), noWrap: true, cell: (block) => orDash(block.requestedAt, formatDate) },
            {
              header: t('sharing.status.label'),
              cell: (block) =>
                block.liftedAt ? (
                  <StatusBadge color="gray" label={t('sharing.status.liftedAt', { date: formatDate(block.liftedAt) })} />
                ) : (
                  <StatusBadge color="red" label={t('sharing.status.active')} />
                ),
            },
            { header: '', cell: (block) => !block.liftedAt && <RowAction label={t('sharing.blocks.lift')} onClick={() => setPending({ kind: 'lift', block })} /> },
          ]}
        />
      </Section>

      <Section title={t('sharing.careTeam.title')} intro={t('sharing.careTeam.intro')} addLabel={t('sharing.careTeam.add')} onAdd={() => setDialog('careTeam')}>
        <RecordTable
          label={t('sharing.careTeam.title')}
          testId="care-team-table"
          emptyText={t('sharing.careTeam.empty')}
          minWidth={640}
          rows={careTeam}
          rowProps={(member) => ({ 'data-care-relationship-id': member.id })}
          columns={[
            { header: t('sharing.careTeam.member'), cell: (member) => member.memberName },
            { header: t('sharing.careTeam.profession'), cell: (member) => (member.profession ? translateCode(`profession.${member.profession}`, {}, member.profession) : '—') },
            { header: t('sharing.careTeam.kind'), cell: (member) => translateCode(`sharing.careTeam.kinds.${member.kind}`, {}, member.kind) },
            { header: t('sharing.shares.from'), noWrap: true, cell: (member) => orDash(member.startsAt, formatDate) },
            { header: t('sharing.careTeam.until'), noWrap: true, cell: (member) => orDash(member.endsAt, formatDate) },
            {
              header: t('sharing.status.label'),
              cell: (member) => {
                const hasEnded = member.endsAt !== null && new Date(member.endsAt).getTime() <= now;
                return <StatusBadge color={hasEnded ? 'gray' : 'teal'} label={hasEnded ? t('sharing.careTeam.ended') : t('sharing.status.active')} />;
              },
            },
          ]}
        />
      </Section>

      <ConsentModal opened={dialog === 'consent'} patientId={patientId} onClose={() => setDialog(null)} onDone={done} />
      <ShareModal opened={dialog === 'share'} patientId={patientId} consents={activeConsents} onClose={() => setDialog(null)} onDone={done} />
      <BlockModal opened={dialog === 'block'} patientId={patientId} onClose={() => setDialog(null)} onDone={done} />
      <CareTeamModal opened={dialog === 'careTeam'} patientId={patientId} onClose={() => setDialog(null)} onDone={done} />
      <SharingConfirmModal pending={pending} onCancel={() => setPending(null)} onDone={done} />
    </Stack>
  );
}

function Section({ title, intro, addLabel, onAdd, children }: { title: string; intro: string; addLabel: string; onAdd: () => void; children: ReactNode }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3} size="h4">
            {title}
          </Title>
          <Text size="sm" c="dimmed">
            {intro}
          </Text>
        </div>
        <Button variant="light" onClick={onAdd}>
          {addLabel}
        </Button>
      </Group>
      {children}
    </Stack>
  );
}

interface Column<Row> {
  /** Empty for the column of row actions. */
  header: string;
  cell: (row: Row) => ReactNode;
  /** Dates and times stay on one line. */
  noWrap?: boolean;
}

/**
 * One of the panel's records as a table, a row a record (consents, shares, blocks, care team):
 * labelled for screen readers, scrolling sideways on a narrow window, a line of text when empty.
 */
function RecordTable<Row extends { id: string }>({
  label,
  testId,
  emptyText,
  minWidth,
  rows,
  rowProps,
  columns,
}: {
  label: string;
  testId: string;
  emptyText: string;
  minWidth: number;
  rows: readonly Row[];
  /** The row's data-* attribute naming its record (the e2e tests find rows by it). */
  rowProps: (row: Row) => Record<`data-${string}`, string>;
  columns: Column<Row>[];
}) {
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {emptyText}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table striped fz="sm" aria-label={label} data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {columns.map((column, index) => (
              <Table.Th key={index}>{column.header}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.id} {...rowProps(row)}>
              {columns.map((column, index) => (
                <Table.Td key={index} style={column.noWrap ? { whiteSpace: 'nowrap' } : undefined}>
                  {column.cell(row)}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function StatusBadge({ color, label }: { color: string; label: string }) {
  return (
    <Badge color={color} variant="light">
      {label}
    </Badge>
  );
}

function RowAction({ label, isDestructive = false, onClick }: { label: string; isDestructive?: boolean; onClick: () => void }) {
  return (
    <Button size="compact-sm" variant="subtle" color={isDestructive ? 'red' : undefined} onClick={onClick}>
      {label}
    </Button>
  );
}

function SharingConfirmModal({ pending, onCancel, onDone }: { pending: Pending | null; onCancel: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const withdraw = useMutation(trpc.sharing.withdrawConsent.mutationOptions());
  const revoke = useMutation(trpc.sharing.revoke.mutationOptions());
  const lift = useMutation(trpc.access.liftBlock.mutationOptions());
  const mutation = pending?.kind === 'withdraw' ? withdraw : pending?.kind === 'revoke' ? revoke : lift;
  const texts =
    pending?.kind === 'withdraw'
      ? { title: t('sharing.confirm.withdrawTitle'), body: t('sharing.confirm.withdrawBody'), action: t('sharing.consents.withdraw'), done: t('sharing.done.withdrawn') }
      : pending?.kind === 'revoke'
        ? { title: t('sharing.confirm.revokeTitle'), body: t('sharing.confirm.revokeBody', { name: pending.share.granteeName }), action: t('sharing.shares.revoke'), done: t('sharing.done.revoked') }
        : { title: t('sharing.confirm.liftTitle'), body: t('sharing.confirm.liftBody', { name: pending?.block.blockedName ?? '' }), action: t('sharing.blocks.lift'), done: t('sharing.done.lifted') };
  const cancel = () => {
    withdraw.reset();
    revoke.reset();
    lift.reset();
    onCancel();
  };
  const confirm = () => {
    if (!pending) return;
    const onSuccess = () => {
      mutation.reset();
      onDone(texts.done);
    };
    if (pending.kind === 'withdraw') withdraw.mutate({ consentId: pending.consent.id }, { onSuccess });
    else if (pending.kind === 'revoke') revoke.mutate({ shareId: pending.share.id }, { onSuccess });
    else lift.mutate({ blockId: pending.block.id }, { onSuccess });
  };
  return (
    <ConfirmModal
      opened={pending !== null}
      title={texts.title}
      body={texts.body}
      actionLabel={texts.action}
      cancelLabel={t('journal.cancel')}
      errorMessage={mutation.error ? errorText(mutation.error) : undefined}
      isPending={mutation.isPending}
      isDestructive={pending?.kind !== 'lift'}
      testId="sharing-confirm"
      onCancel={cancel}
      onConfirm={confirm}
    />
  );
}

/** SHR-2: who consented, how, when, to what scope and for which purpose. */
function ConsentModal({ opened, patientId, onClose, onDone }: { opened: boolean; patientId: string; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const initial = () => ({ givenBy: 'patient' as (typeof GIVEN_BY)[number], method: 'verbal' as (typeof METHODS)[number], date: toDateInput(osloToday()), time: osloTimeOfDay(), scope: 'whole_journal' as Scope, purpose: '' });
  const record = useMutation(trpc.sharing.recordConsent.mutationOptions());
  const { form, set, clientErrors, setClientErrors, startOver, close } = useDialogForm(initial, record, onClose);
  const labels = { givenBy: t('sharing.consents.givenBy'), method: t('sharing.consents.method'), givenAt: t('sharing.consents.givenAt'), scope: t('sharing.scope.label'), purpose: t('sharing.purpose') };
  const { errors, general } = formErrors(record.error, labels, clientErrors);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const date = parseDateInput(form.date);
    const time = parseTimeInput(form.time);
    const problems = found({
      givenAt: date && time ? undefined : translateCode('validation.date', { field: labels.givenAt }),
      purpose: form.purpose.trim().length < 3 ? translateCode('validation.required', { field: labels.purpose }) : undefined,
    });
    setClientErrors(problems);
    if (!date || !time || Object.keys(problems).length > 0) return;
    record.mutate(
      { patientId, givenBy: form.givenBy, method: form.method, givenAt: osloInstant(date, time), scope: form.scope, purpose: form.purpose },
      {
        onSuccess: () => {
          startOver();
          onDone(t('sharing.done.consentRecorded'));
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('sharing.consents.add')} size="lg" data-testid="consent-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <NativeSelect label={labels.givenBy} value={form.givenBy} onChange={(event) => set('givenBy', GIVEN_BY.find((value) => value === event.currentTarget.value) ?? 'patient')} data={GIVEN_BY.map((value) => ({ value, label: t(`sharing.givenBy.${value}`) }))} error={errors.givenBy} />
          <Radio.Group label={labels.method} value={form.method} onChange={(value) => set('method', METHODS.find((method) => method === value) ?? 'verbal')} error={errors.method}>
            <Group gap="md" mt={4}>
              {METHODS.map((method) => (
                <Radio key={method} value={method} label={t(`sharing.methods.${method}`)} />
              ))}
            </Group>
          </Radio.Group>
          <Group grow align="flex-start">
            <TextInput label={labels.givenAt} required placeholder={t('journal.datePlaceholder')} value={form.date} onChange={(event) => set('date', event.currentTarget.value)} error={errors.givenAt} />
            <TextInput label={t('sharing.time')} required placeholder="tt:mm" value={form.time} onChange={(event) => set('time', event.currentTarget.value)} />
          </Group>
          <ScopeChoice value={form.scope} onChange={(value) => set('scope', value)} error={errors.scope} />
          <TextInput label={labels.purpose} required description={t('sharing.purposeHint')} value={form.purpose} onChange={(event) => set('purpose', event.currentTarget.value)} error={errors.purpose} maxLength={500} />
          <GeneralError message={general} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={record.isPending}>
              {t('sharing.consents.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ScopeChoice({ value, onChange, error }: { value: Scope; onChange: (value: Scope) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  return (
    <Radio.Group label={t('sharing.scope.label')} value={value} onChange={(next) => onChange(next === 'selected_notes' ? 'selected_notes' : 'whole_journal')} error={error}>
      <Group gap="md" mt={4}>
        <Radio value="whole_journal" label={t('sharing.scope.whole_journal')} />
        <Radio value="selected_notes" label={t('sharing.scope.selected_notes')} />
      </Group>
    </Radio.Group>
  );
}

/** The signed notes to choose from (drafts are not part of the journal yet). */
function NotePicker({ patientId, value, onChange, error }: { patientId: string; value: string[]; onChange: (value: string[]) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const notes = useQuery(trpc.journal.notes.queryOptions({ patientId, limit: 100 }, { staleTime: 0, gcTime: 0 }));
  if (notes.isPending) return <Loader size="sm" />;
  if (notes.isError) return <GeneralError message={errorText(notes.error)} />;
  const signed = notes.data.notes.filter((note) => note.status !== 'draft');
  return (
    <Checkbox.Group label={t('sharing.notes')} withAsterisk value={value} onChange={onChange} error={error}>
      <ScrollArea.Autosize mah={220} type="auto" mt={4}>
        <Stack gap={6}>
          {signed.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('journal.notes.empty')}
            </Text>
          )}
          {signed.map((note) => (
            <Checkbox
              key={note.id}
              value={note.id}
              label={noteLabel(note)}
            />
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Checkbox.Group>
  );
}

function ColleagueSelect({ label, value, onChange, error }: { label: string; value: string; onChange: (value: string) => void; error?: string | undefined }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const colleagues = useQuery(trpc.access.colleagues.queryOptions(undefined, { staleTime: 60_000 }));
  return (
    <NativeSelect
      label={label}
      required
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: colleagues.isPending ? t('sharing.loading') : '—' },
        ...(colleagues.data ?? []).map((colleague) => ({
          value: colleague.id,
          label: colleague.profession ? `${colleague.displayName} (${translateCode(`profession.${colleague.profession}`, {}, colleague.profession)})` : colleague.displayName,
        })),
      ]}
      error={error ?? (colleagues.isError ? errorText(colleagues.error) : undefined)}
    />
  );
}

/** SHR-1: read access for a named colleague, whole journal or chosen notes, for a purpose, until a date, under a consent (SHR-2). */
function ShareModal({ opened, patientId, consents, onClose, onDone }: { opened: boolean; patientId: string; consents: Consent[]; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const initial = () => ({ granteeId: '', consentId: '', scope: 'whole_journal' as Scope, noteIds: [] as string[], purpose: '', endsAt: toDateInput(addDays(osloToday(), 30)) });
  const grant = useMutation(trpc.sharing.grant.mutationOptions());
  const { form, set, clientErrors, setClientErrors, startOver, close } = useDialogForm(initial, grant, onClose);
  const labels = { granteeId: t('sharing.shares.grantee'), consentId: t('sharing.shares.consent'), scope: t('sharing.scope.label'), noteIds: t('sharing.notes'), purpose: t('sharing.purpose'), endsAt: t('sharing.shares.until') };
  const { errors, general } = formErrors(grant.error, labels, clientErrors);
  const consentId = form.consentId || (consents.length === 1 ? (consents[0]?.id ?? '') : '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const endsAt = parseDateInput(form.endsAt);
    const problems = found({
      granteeId: form.granteeId ? undefined : translateCode('validation.required', { field: labels.granteeId }),
      consentId: consentId ? undefined : translateCode('validation.consent_required', { field: labels.consentId }),
      noteIds: form.scope === 'selected_notes' && form.noteIds.length === 0 ? translateCode('validation.required', { field: labels.noteIds }) : undefined,
      purpose: form.purpose.trim().length < 3 ? translateCode('validation.required', { field: labels.purpose }) : undefined,
      endsAt: endsAt ? undefined : translateCode('validation.date', { field: labels.endsAt }),
    });
    setClientErrors(problems);
    if (!endsAt || Object.keys(problems).length > 0) return;
    grant.mutate(
      {
        patientId,
        granteeId: form.granteeId,
        consentId,
        scope: form.scope,
        noteIds: form.scope === 'selected_notes' ? form.noteIds : [],
        purpose: form.purpose,
        // Until the end of the chosen day, in Oslo.
        endsAt: osloInstant(endsAt, '23:59'),
      },
      {
        onSuccess: () => {
          startOver();
          onDone(t('sharing.done.shared'));
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('sharing.shares.add')} size="lg" data-testid="share-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          {consents.length === 0 && (
            <Alert color="yellow" variant="light">
              {t('sharing.shares.needsConsent')}
            </Alert>
          )}
          <ColleagueSelect label={labels.granteeId} value={form.granteeId} onChange={(value) => set('granteeId', value)} error={errors.granteeId} />
          <NativeSelect
            label={labels.consentId}
            required
            value={consentId}
            onChange={(event) => set('consentId', event.currentTarget.value)}
            data={[
              ...(consents.length === 1 ? [] : [{ value: '', label: '—' }]),
              ...consents.map((consent) => ({
                value: consent.id,
                label: t('sharing.shares.consentOption', {
                  method: translateCode(`sharing.methods.${consent.method}`, {}, consent.method),
                  givenBy: translateCode(`sharing.givenBy.${consent.givenBy}`, {}, consent.givenBy),
                  date: consent.givenAt ? formatDate(consent.givenAt) : '—',
                  scope: translateCode(`sharing.scope.${consent.scope}`, {}, consent.scope),
                }),
              })),
            ]}
            error={errors.consentId}
          />
          <ScopeChoice value={form.scope} onChange={(value) => set('scope', value)} error={errors.scope} />
          {form.scope === 'selected_notes' && <NotePicker patientId={patientId} value={form.noteIds} onChange={(value) => set('noteIds', value)} error={errors.noteIds} />}
          <TextInput label={labels.purpose} required description={t('sharing.purposeHint')} value={form.purpose} onChange={(event) => set('purpose', event.currentTarget.value)} error={errors.purpose} maxLength={500} />
          <TextInput label={labels.endsAt} required description={t('sharing.shares.untilHint')} placeholder={t('journal.datePlaceholder')} value={form.endsAt} onChange={(event) => set('endsAt', event.currentTarget.value)} error={errors.endsAt} w={240} />
          <GeneralError message={general} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={grant.isPending} disabled={consents.length === 0}>
              {t('sharing.shares.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** ACC-4: the patient bars a named colleague from the whole journal or chosen notes. */
function BlockModal({ opened, patientId, onClose, onDone }: { opened: boolean; patientId: string; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const initial = () => ({ blockedUserId: '', scope: 'whole_journal' as Scope, noteIds: [] as string[], requestedAt: toDateInput(osloToday()) });
  const block = useMutation(trpc.access.setBlock.mutationOptions());
  const { form, set, clientErrors, setClientErrors, startOver, close } = useDialogForm(initial, block, onClose);
  const labels = { blockedUserId: t('sharing.blocks.person'), scope: t('sharing.scope.label'), noteIds: t('sharing.notes'), requestedAt: t('sharing.blocks.requestedAt') };
  const { errors, general } = formErrors(block.error, labels, clientErrors);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const requestedAt = parseDateInput(form.requestedAt);
    const problems = found({
      blockedUserId: form.blockedUserId ? undefined : translateCode('validation.required', { field: labels.blockedUserId }),
      noteIds: form.scope === 'selected_notes' && form.noteIds.length === 0 ? translateCode('validation.required', { field: labels.noteIds }) : undefined,
      requestedAt: requestedAt ? undefined : translateCode('validation.date', { field: labels.requestedAt }),
    });
    setClientErrors(problems);
    if (!requestedAt || Object.keys(problems).length > 0) return;
    const isToday = requestedAt === osloToday();
    block.mutate(
      { patientId, blockedUserId: form.blockedUserId, scope: form.scope, noteIds: form.scope === 'selected_notes' ? form.noteIds : [], requestedAt: isToday ? new Date().toISOString() : osloInstant(requestedAt, '12:00') },
      {
        onSuccess: () => {
          startOver();
          onDone(t('sharing.done.blocked'));
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('sharing.blocks.add')} size="lg" data-testid="block-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('sharing.blocks.formIntro')}
          </Text>
          <ColleagueSelect label={labels.blockedUserId} value={form.blockedUserId} onChange={(value) => set('blockedUserId', value)} error={errors.blockedUserId} />
          <ScopeChoice value={form.scope} onChange={(value) => set('scope', value)} error={errors.scope} />
          {form.scope === 'selected_notes' && <NotePicker patientId={patientId} value={form.noteIds} onChange={(value) => set('noteIds', value)} error={errors.noteIds} />}
          <TextInput label={labels.requestedAt} required placeholder={t('journal.datePlaceholder')} value={form.requestedAt} onChange={(event) => set('requestedAt', event.currentTarget.value)} error={errors.requestedAt} w={240} />
          <GeneralError message={general} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" color="red" loading={block.isPending}>
              {t('sharing.blocks.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** ACC-2: explicit care-team membership, a treatment relationship for a colleague. */
function CareTeamModal({ opened, patientId, onClose, onDone }: { opened: boolean; patientId: string; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [userId, setUserId] = useState('');
  const [clientError, setClientError] = useState<string | undefined>();
  const add = useMutation(trpc.access.addCareTeamMember.mutationOptions());
  const label = t('sharing.careTeam.colleague');
  const { errors, general } = formErrors(add.error, { userId: label }, clientError ? { userId: clientError } : {});
  const close = () => {
    setUserId('');
    setClientError(undefined);
    add.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!userId) {
      setClientError(translateCode('validation.required', { field: label }));
      return;
    }
    add.mutate(
      { patientId, userId },
      {
        onSuccess: () => {
          setUserId('');
          add.reset();
          onDone(t('sharing.done.careTeamAdded'));
        },
      },
    );
  };
  return (
    <Modal opened={opened} onClose={close} title={t('sharing.careTeam.add')} data-testid="care-team-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('sharing.careTeam.formIntro')}
          </Text>
          <ColleagueSelect
            label={label}
            value={userId}
            onChange={(value) => {
              setUserId(value);
              setClientError(undefined);
            }}
            error={errors.userId}
          />
          <GeneralError message={general} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('sharing.careTeam.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
