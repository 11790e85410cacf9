import { Alert, Anchor, Button, Checkbox, Group, List, Loader, Modal, NativeSelect, Paper, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { extendedDsrDeadline } from '../../../../../shared/dsr-deadline';
import {
  DSR_DENIAL_REASONS,
  DSR_HOLD_REASONS,
  DSR_IDENTITY_METHODS,
  DSR_STATUS_TRANSITIONS,
  DSR_STATUSES_NEEDING_IDENTITY,
  type DsrDenialReason,
  type DsrHoldReason,
  type DsrIdentityMethod,
  type DsrStatus,
  RESTRICTION_MODULES,
  type RestrictionModule,
} from '../../../../../shared/dsr-schemas';
import { formatCalendarDate, formatDateTime, osloCalendarDate } from '../../../../../shared/oslo-time';
import { errorText, fieldErrorMessages, translateAuditAction, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { FormFooter } from '../../shared/FormFooter';
import { hashOf } from '../../shell/routes';
import { AccessPackagePanel } from '../exports/AccessPackagePanel';
import { ErasurePanel } from '../erasure/ErasurePanel';
import { DeadlineCell, DsrStatusBadge } from './case-format';
import { ObjectionPanel } from './ObjectionPanel';
import { RectificationPanel } from './RectificationPanel';

function stepText(status: string, reason: string | null): string {
  const statusText = translateCode(`dpoCases.status.${status}`);
  if (reason === null) return statusText;
  // A step that is an action rather than a status (identity verified, a correction asked or answered, an objection registered).
  const action = translateCode(`dpoCases.stepReason.${reason}`, {}, '');
  if (action !== '') return action;
  const reasonText = translateCode(`dpoCases.holdReason.${reason}`, {}, translateCode(`dpoCases.denialReason.${reason}`, {}, reason));
  return `${statusText}: ${reasonText}`;
}

const moduleNames = (modules: readonly string[]) => modules.map((module) => translateCode(`dpoCases.module.${module}`)).join(', ');

/**
 * DPO-4, DPO-5: one data-subject request — its deadline, the person, the identity check, the status
 * changes the shared table allows, the one extension, restriction of processing, a rectification's
 * correction asked of the clinician (JRN-4), an objection registered in the CRM, the history, where
 * the person's data went, and the erasure and access-package panels.
 */
export function DsrCasePage({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Fresh each time the case is opened: others change it meanwhile (a clinician answering a
  // correction request in the journal), and the DPO acts on what the page shows.
  const view = useQuery(trpc.dpo.cases.get.queryOptions({ caseId }, { staleTime: 0 }));
  const trail = useQuery(trpc.dpo.cases.dataTrail.queryOptions({ caseId }, { staleTime: 0 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.dpo.cases.pathKey() });
  const [statusTarget, setStatusTarget] = useState<DsrStatus | null>(null);
  const [isExtending, setIsExtending] = useState(false);
  const [method, setMethod] = useState<DsrIdentityMethod>('bankid');
  const [modules, setModules] = useState<RestrictionModule[]>([]);

  const verify = useMutation(trpc.dpo.cases.verifyIdentity.mutationOptions({ onSuccess: () => (notifications.show({ color: 'teal', message: t('dpoCases.case.identitySaved') }), refresh()) }));
  const link = useMutation(trpc.dpo.cases.linkPatient.mutationOptions({ onSuccess: () => (notifications.show({ color: 'teal', message: t('dpoCases.case.linked') }), refresh()) }));
  const restrict = useMutation(trpc.dpo.cases.setRestriction.mutationOptions({ onSuccess: () => (notifications.show({ color: 'teal', message: t('dpoCases.case.restrictionSet') }), setModules([]), refresh()) }));
  const lift = useMutation(trpc.dpo.cases.liftRestriction.mutationOptions({ onSuccess: () => (notifications.show({ color: 'teal', message: t('dpoCases.case.restrictionLiftedNotice') }), refresh()) }));

  if (view.isPending) return <Loader size="sm" aria-label={t('dpoCases.case.loading')} />;
  if (view.isError)
    return (
      <Stack gap="sm">
        <Title order={2}>{t('dpoCases.title')}</Title>
        <Alert color="red" role="alert">
          {errorText(view.error)}
        </Alert>
      </Stack>
    );
  const dsr = view.data;
  const isClosed = dsr.status === 'completed' || dsr.status === 'denied';
  const transitions = DSR_STATUS_TRANSITIONS[dsr.status];
  const activeRestriction = dsr.restrictions.find((restriction) => restriction.liftedAt === null);

  return (
    <Stack gap="lg" data-testid="dsr-case-page" data-case-id={caseId}>
      <Stack gap={4}>
        <Anchor href={hashOf({ page: 'dpo', section: 'cases' })} size="sm">
          ← {t('dpoCases.case.back')}
        </Anchor>
        <Group gap="sm" align="center">
          <Title order={2}>
            {dsr.reference} – {translateCode(`dpoCases.kind.${dsr.kind}`)}
          </Title>
          <DsrStatusBadge status={dsr.status} />
        </Group>
        <Text size="sm">{t('dpoCases.case.received', { date: formatCalendarDate(dsr.receivedOn), channel: translateCode(`dpoCases.channel.${dsr.channel}`).toLowerCase() })}</Text>
        <Group gap="xs" align="flex-start" data-testid="dsr-deadline">
          <Text size="sm" fw={600}>
            {t('dpoCases.case.deadline')}:
          </Text>
          <div>
            <DeadlineCell effectiveDeadline={dsr.effectiveDeadline} isExtended={dsr.extendedDeadline !== null} urgency={dsr.urgency} daysLeft={dsr.daysLeft} />
          </div>
        </Group>
        {dsr.extendedDeadline !== null && (
          <Text size="sm" c="dimmed">
            {t('dpoCases.case.originalDeadline', { date: formatCalendarDate(dsr.deadline) })}.{' '}
            {t('dpoCases.case.extendedBecause', { date: formatCalendarDate(dsr.extendedDeadline), notified: dsr.extensionNotifiedOn ? formatCalendarDate(dsr.extensionNotifiedOn) : '', reason: dsr.extensionReason ?? '' })}
          </Text>
        )}
        {!isClosed && (
          <Group>
            <Button variant="default" size="xs" onClick={() => setIsExtending(true)} disabled={!dsr.canExtend} data-testid="extend-deadline">
              {t('dpoCases.case.extend')}
            </Button>
            {!dsr.canExtend && (
              <Text size="xs" c="dimmed">
                {t('dpoCases.case.extendNotAllowed')}
              </Text>
            )}
          </Group>
        )}
      </Stack>

      <Paper withBorder p="md">
        <Title order={3} size="h4" mb="xs">
          {t('dpoCases.case.person')}
        </Title>
        <Table fz="sm" variant="vertical" withTableBorder={false}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row" w={220}>
                {t('dpoCases.case.name')}
              </Table.Th>
              <Table.Td>{dsr.requesterName}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('dpoCases.case.nationalId')}</Table.Th>
              <Table.Td>{dsr.nationalIdMasked ?? t('dpoCases.case.none')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('dpoCases.case.email')}</Table.Th>
              <Table.Td>{dsr.email ?? t('dpoCases.case.none')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('dpoCases.case.phone')}</Table.Th>
              <Table.Td>{dsr.phone ?? t('dpoCases.case.none')}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('dpoCases.case.patient')}</Table.Th>
              <Table.Td>
                {dsr.patient ? (
                  dsr.patient.name
                ) : (
                  <Group gap="sm">
                    <Text size="sm">{t('dpoCases.case.noPatient')}</Text>
                    {dsr.nationalIdMasked && !isClosed && (
                      <Button size="xs" variant="light" loading={link.isPending} onClick={() => link.mutate({ caseId, version: dsr.version })}>
                        {t('dpoCases.case.linkPatient')}
                      </Button>
                    )}
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
            {dsr.note && (
              <Table.Tr>
                <Table.Th scope="row">{t('dpoCases.case.note')}</Table.Th>
                <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{dsr.note}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
        {link.error && (
          <Alert color="red" role="alert" mt="xs">
            {Object.values(fieldErrorMessages(link.error, { nationalId: t('dpoCases.case.nationalId') })).join(' ') || errorText(link.error)}
          </Alert>
        )}
      </Paper>

      <Paper withBorder p="md" data-testid="dsr-identity">
        <Title order={3} size="h4" mb="xs">
          {t('dpoCases.case.identity')}
        </Title>
        {dsr.identity ? (
          <Text size="sm">
            {t('dpoCases.case.identityVerified', {
              method: translateCode(`dpoCases.identityMethod.${dsr.identity.method}`),
              by: dsr.identity.verifiedByName ?? '',
              at: dsr.identity.verifiedAt ? formatDateTime(dsr.identity.verifiedAt) : '',
            })}
          </Text>
        ) : (
          <Stack gap="xs">
            <Text size="sm">{t('dpoCases.case.identityNotVerified')}</Text>
            {!isClosed && (
              <Group align="flex-end">
                <NativeSelect
                  label={t('dpoCases.case.identityMethod')}
                  value={method}
                  onChange={(event) => setMethod(event.currentTarget.value as DsrIdentityMethod)}
                  data={DSR_IDENTITY_METHODS.map((value) => ({ value, label: translateCode(`dpoCases.identityMethod.${value}`) }))}
                />
                <Button loading={verify.isPending} onClick={() => verify.mutate({ caseId, version: dsr.version, method })} data-testid="verify-identity">
                  {t('dpoCases.case.verifyIdentity')}
                </Button>
              </Group>
            )}
            {verify.error && (
              <Alert color="red" role="alert">
                {errorText(verify.error)}
              </Alert>
            )}
          </Stack>
        )}
      </Paper>

      <Paper withBorder p="md" data-testid="dsr-status-actions">
        <Title order={3} size="h4" mb="xs">
          {t('dpoCases.case.statusTitle')}
        </Title>
        {dsr.holdReason && <Text size="sm">{stepText('on_hold', dsr.holdReason)}</Text>}
        {dsr.denialReason && <Text size="sm">{stepText('denied', dsr.denialReason)}</Text>}
        {dsr.response && (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {t('dpoCases.case.response')}: {dsr.response}
          </Text>
        )}
        {transitions.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('dpoCases.case.noTransitions')}
          </Text>
        ) : (
          <Group gap="xs">
            {transitions.map((status) => {
              const needsIdentity = DSR_STATUSES_NEEDING_IDENTITY.includes(status) && dsr.identity === null;
              return (
                <Button key={status} size="xs" variant={status === 'denied' ? 'outline' : 'light'} color={status === 'denied' ? 'red' : undefined} disabled={needsIdentity} onClick={() => setStatusTarget(status)} data-status-target={status}>
                  {t('dpoCases.case.changeTo', { status: translateCode(`dpoCases.status.${status}`) })}
                </Button>
              );
            })}
          </Group>
        )}
      </Paper>

      {(dsr.kind === 'restriction' || dsr.restrictions.length > 0) && (
        <Paper withBorder p="md" data-testid="dsr-restriction">
          <Title order={3} size="h4" mb="xs">
            {t('dpoCases.case.restriction')}
          </Title>
          <Text size="sm" mb="xs">
            {t('dpoCases.case.restrictionHint')}
          </Text>
          <List size="sm" mb="xs">
            {dsr.restrictions.map((restriction) => (
              <List.Item key={restriction.id}>
                {restriction.liftedAt === null
                  ? t('dpoCases.case.restrictionInForce', { at: formatDateTime(restriction.setAt), by: restriction.setByName ?? '', modules: moduleNames(restriction.modules) })
                  : t('dpoCases.case.restrictionLifted', { from: formatDateTime(restriction.setAt), to: formatDateTime(restriction.liftedAt), modules: moduleNames(restriction.modules) })}
              </List.Item>
            ))}
          </List>
          {activeRestriction ? (
            <Button size="xs" variant="outline" loading={lift.isPending} onClick={() => lift.mutate({ restrictionId: activeRestriction.id })} data-testid="lift-restriction">
              {t('dpoCases.case.liftRestriction')}
            </Button>
          ) : (
            !isClosed && (
              <Stack gap="xs">
                <Checkbox.Group label={t('dpoCases.case.restrictionModules')} value={modules} onChange={(value) => setModules(RESTRICTION_MODULES.filter((module) => value.includes(module)))}>
                  <Group gap="md" mt={4}>
                    {RESTRICTION_MODULES.map((module) => (
                      <Checkbox key={module} value={module} label={translateCode(`dpoCases.module.${module}`)} />
                    ))}
                  </Group>
                </Checkbox.Group>
                <Group>
                  <Button size="xs" disabled={modules.length === 0} loading={restrict.isPending} onClick={() => restrict.mutate({ caseId, modules })} data-testid="set-restriction">
                    {t('dpoCases.case.setRestriction')}
                  </Button>
                </Group>
              </Stack>
            )
          )}
          {(restrict.error ?? lift.error) && (
            <Alert color="red" role="alert" mt="xs">
              {Object.values(fieldErrorMessages(restrict.error ?? lift.error, {})).join(' ') || errorText(restrict.error ?? lift.error)}
            </Alert>
          )}
        </Paper>
      )}

      {(dsr.kind === 'rectification' || dsr.corrections.length > 0) && (
        <RectificationPanel
          caseId={caseId}
          corrections={dsr.corrections}
          candidates={dsr.correctionCandidates}
          isClosed={isClosed}
          hasPatient={dsr.patient !== null}
          isIdentityVerified={dsr.identity !== null}
          onSaved={() => void refresh()}
        />
      )}

      {dsr.kind === 'objection' && <ObjectionPanel caseId={caseId} isClosed={isClosed} isIdentityVerified={dsr.identity !== null} onSaved={() => void refresh()} />}

      {dsr.duplicates.length > 0 && (
        <Paper withBorder p="md">
          <Title order={3} size="h4" mb="xs">
            {t('dpoCases.case.duplicates')}
          </Title>
          <List size="sm">
            {dsr.duplicates.map((duplicate) => (
              <List.Item key={duplicate.id}>
                <Anchor href={hashOf({ page: 'dsrCase', caseId: duplicate.id })} size="sm">
                  {duplicate.reference}
                </Anchor>{' '}
                – {formatCalendarDate(duplicate.receivedOn)}, {translateCode(`dpoCases.status.${duplicate.status}`)}
              </List.Item>
            ))}
          </List>
        </Paper>
      )}

      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('dpoCases.case.history')}
        </Title>
        <Table fz="sm" striped data-testid="dsr-steps">
          <Table.Caption>{t('dpoCases.case.historyCaption')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('dpoCases.case.when')}</Table.Th>
              <Table.Th scope="col">{t('dpoCases.case.what')}</Table.Th>
              <Table.Th scope="col">{t('dpoCases.case.who')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {dsr.steps.map((step) => (
              <Table.Tr key={step.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(step.changedAt)}</Table.Td>
                <Table.Td>{stepText(step.status, step.reason)}</Table.Td>
                <Table.Td>{step.changedByName ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>

      <Stack gap="xs" data-testid="dsr-data-trail">
        <Title order={3} size="h4">
          {t('dpoCases.case.trail')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('dpoCases.case.trailHint')}
        </Text>
        {trail.isPending && <Loader size="sm" aria-label={t('dpoCases.case.loading')} />}
        {trail.isError && (
          <Alert color="red" role="alert">
            {errorText(trail.error)}
          </Alert>
        )}
        {trail.data && !trail.data.hasPatient && (
          <Text size="sm" c="dimmed">
            {t('dpoCases.case.trailNoPatient')}
          </Text>
        )}
        {trail.data && trail.data.entries.length === 0 && <Text size="sm">{t('dpoCases.case.trailEmpty')}</Text>}
        {trail.data && trail.data.entries.length > 0 && (
          <Table.ScrollContainer minWidth={640}>
            <Table fz="sm" striped>
              <Table.Caption>{t('dpoCases.case.trailCaption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('dpoCases.case.when')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.case.what')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.case.who')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.case.trailTo')}</Table.Th>
                  <Table.Th scope="col">{t('dpoCases.case.trailAddress')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {trail.data.entries.map((entry, index) => (
                  <Table.Tr key={`${entry.source}-${index}`} data-what={entry.what}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
                    <Table.Td>
                      {entry.source === 'audit'
                        ? translateAuditAction(entry.what)
                        : `${t('dpoCases.case.trailMessage', { channel: entry.channel ?? '', template: entry.detail ?? '' })} (${translateCode(`dpoCases.case.messageStatus.${entry.what.slice('message.'.length)}`)})`}
                    </Table.Td>
                    <Table.Td>{entry.who ?? t('dpoCases.case.none')}</Table.Td>
                    <Table.Td>{entry.toName ?? entry.recipient ?? t('dpoCases.case.none')}</Table.Td>
                    <Table.Td>{entry.clientIp ?? t('dpoCases.case.none')}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>

      <ErasurePanel caseId={caseId} />
      <AccessPackagePanel caseId={caseId} />

      {statusTarget !== null && <StatusModal caseId={caseId} version={dsr.version} target={statusTarget} onClose={() => setStatusTarget(null)} onSaved={() => (setStatusTarget(null), refresh())} />}
      {isExtending && <ExtendModal caseId={caseId} version={dsr.version} deadline={dsr.deadline} receivedOn={dsr.receivedOn} onClose={() => setIsExtending(false)} onSaved={() => (setIsExtending(false), refresh())} />}
    </Stack>
  );
}

/** A status change: a coded reason for a hold or a denial, the answer for completion (DPO-4). */
function StatusModal({ caseId, version, target, onClose, onSaved }: { caseId: string; version: number; target: DsrStatus; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [holdReason, setHoldReason] = useState<DsrHoldReason>('awaiting_clarification');
  const [denialReason, setDenialReason] = useState<DsrDenialReason>('manifestly_unfounded');
  const [response, setResponse] = useState('');
  const labels = { holdReason: t('dpoCases.case.holdReason'), denialReason: t('dpoCases.case.denialReason'), response: t('dpoCases.case.response'), status: t('dpoCases.case.statusTitle') };
  const save = useMutation(trpc.dpo.cases.setStatus.mutationOptions({ onSuccess: () => (notifications.show({ color: 'teal', message: t('dpoCases.case.statusSaved') }), onSaved()) }));
  const errors = save.error ? fieldErrorMessages(save.error, labels) : {};
  return (
    <Modal opened onClose={onClose} title={t('dpoCases.case.changeStatusTitle', { status: translateCode(`dpoCases.status.${target}`) })} closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="dsr-status-modal">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ caseId, version, status: target, holdReason: target === 'on_hold' ? holdReason : null, denialReason: target === 'denied' ? denialReason : null, response: target === 'completed' ? response : '' });
        }}
      >
        <Stack gap="sm">
          {target === 'on_hold' && (
            <NativeSelect label={labels.holdReason} required value={holdReason} onChange={(event) => setHoldReason(event.currentTarget.value as DsrHoldReason)} data={DSR_HOLD_REASONS.map((value) => ({ value, label: translateCode(`dpoCases.holdReason.${value}`) }))} error={errors.holdReason} />
          )}
          {target === 'denied' && (
            <NativeSelect label={labels.denialReason} required value={denialReason} onChange={(event) => setDenialReason(event.currentTarget.value as DsrDenialReason)} data={DSR_DENIAL_REASONS.map((value) => ({ value, label: translateCode(`dpoCases.denialReason.${value}`) }))} error={errors.denialReason} />
          )}
          {target === 'completed' && <Textarea label={labels.response} required autosize minRows={4} maxRows={12} value={response} onChange={(event) => setResponse(event.currentTarget.value)} error={errors.response} />}
          <FormFooter errors={errors} error={save.error} isPending={save.isPending} submitLabel={t('dpoCases.case.save')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}

/** The one extension (art. 12(3)): one or two months from the original deadline, a reason, the day the person was told. */
function ExtendModal({ caseId, version, deadline, receivedOn, onClose, onSaved }: { caseId: string; version: number; deadline: string; receivedOn: string; onClose: () => void; onSaved: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const today = osloCalendarDate(new Date());
  const [months, setMonths] = useState(2);
  const [reason, setReason] = useState('');
  const [notifiedOn, setNotifiedOn] = useState(today);
  const labels = { months: t('dpoCases.case.months'), reason: t('dpoCases.case.reason'), notifiedOn: t('dpoCases.case.notifiedOn') };
  const save = useMutation(
    trpc.dpo.cases.extend.mutationOptions({ onSuccess: (result) => (notifications.show({ color: 'teal', message: t('dpoCases.case.extended', { date: formatCalendarDate(result.extendedDeadline) }) }), onSaved()) }),
  );
  const errors = save.error ? fieldErrorMessages(save.error, labels) : {};
  return (
    <Modal opened onClose={onClose} title={t('dpoCases.case.extendTitle')} closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="dsr-extend-modal">
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate({ caseId, version, months, reason, notifiedOn });
        }}
      >
        <Stack gap="sm">
          <Text size="sm">{t('dpoCases.case.extendHint')}</Text>
          <NativeSelect label={labels.months} value={String(months)} onChange={(event) => setMonths(Number(event.currentTarget.value))} data={[1, 2].map((count) => ({ value: String(count), label: t('dpoCases.case.monthsOption', { count }) }))} error={errors.months} />
          <Text size="sm" aria-live="polite" data-testid="dsr-new-deadline">
            {t('dpoCases.case.newDeadline', { date: formatCalendarDate(extendedDsrDeadline(deadline, months)) })}
          </Text>
          <Textarea label={labels.reason} required autosize minRows={3} maxRows={8} value={reason} onChange={(event) => setReason(event.currentTarget.value)} error={errors.reason} />
          <TextInput type="date" label={labels.notifiedOn} required min={receivedOn} max={today} value={notifiedOn} onChange={(event) => setNotifiedOn(event.currentTarget.value)} error={errors.notifiedOn} />
          <FormFooter errors={errors} error={save.error} isPending={save.isPending} submitLabel={t('dpoCases.case.extend')} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
