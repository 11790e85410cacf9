import { Alert, Badge, Button, Code, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadBlob, safeFileName } from '../../lib/download';
import { formatDateTime } from '../../lib/format';
import { errorText, translateCode } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { useStepUpMutation } from '../auth/step-up';

/** A relationship's kind in words: `care_team`, or an appointment as `consultation:booked`. */
export function relationshipKindText(kind: string): string {
  const [what, status] = kind.split(':');
  const name = translateCode(`register.kinds.${what ?? kind}`, {}, what ?? kind);
  return status ? `${name} (${translateCode(`register.appointmentStatuses.${status}`, {}, status)})` : name;
}

function Period({ from, until }: { from: string | null; until: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{from ? formatDateTime(from) : '—'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{until ? formatDateTime(until) : t('register.ongoing')}</Table.Td>
    </>
  );
}

function PatientRef({ id }: { id: string }) {
  return <Code title={id}>{id.slice(0, 8)}</Code>;
}

function Section({ title, count, headers, children }: { title: string; count: number; headers: string[]; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Stack gap={4} component="section" aria-label={title}>
      <Title order={3} size="h5">
        {title} ({count})
      </Title>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          {t('register.none')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={600}>
          <Table striped fz="sm" aria-label={title}>
            <Table.Thead>
              <Table.Tr>
                {headers.map((header) => (
                  <Table.Th key={header}>{header}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>{children}</Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

/**
 * ACC-6 authorisation register ("tilgangsregister") of one user: the roles, treatment
 * relationships, read-shares and break-glass grants they hold or held, with dates; exportable as
 * JSON (Normen). Patients appear by their id only: the administrator sees no patient data.
 */
export function AuthorisationRegisterModal({ user, onClose }: { user: { id: string; displayName: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const register = useQuery(trpc.access.register.queryOptions({ userId: user?.id ?? '' }, { enabled: user !== null, staleTime: 0, gcTime: 0 }));
  const data = register.data;
  const period = [t('register.from'), t('register.until')];

  // ACC-6, AUD-2: the backend makes the file and logs the export (with the client's IP) before it
  // answers; only then is it downloaded. An export asks for a fresh second factor (AUTH-5).
  const exportFile = useStepUpMutation(trpc.access.exportRegister.mutationOptions());
  const exportAs = (format: 'json' | 'csv') => {
    if (!user) return;
    exportFile.mutate(
      { userId: user.id, format },
      {
        onSuccess: (file) => {
          const fileName = safeFileName(file.fileName.replace(/\.(json|csv)$/, ''), format);
          downloadBlob(new Blob([file.content], { type: file.mimeType }), fileName);
          notifications.show({ color: 'teal', message: t('register.exported', { fileName }) });
        },
        onError: (error) => notifications.show({ color: 'red', message: errorText(error) }),
      },
    );
  };

  return (
    <Modal opened={user !== null} onClose={onClose} title={t('register.title', { name: user?.displayName ?? '' })} size="xl" data-testid="register-modal">
      {register.isPending && <Loader size="sm" />}
      {register.isError && (
        <Alert color="red" role="alert">
          {errorText(register.error)}
        </Alert>
      )}
      {data && (
        <Stack gap="md">
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Text size="sm">
                {data.user.displayName} · {data.user.email}
              </Text>
              <Text size="xs" c="dimmed">
                {[data.user.profession ? translateCode(`profession.${data.user.profession}`, {}, data.user.profession) : null, data.user.hprNumber ? `HPR ${data.user.hprNumber}` : null].filter(Boolean).join(' · ') || '—'}
              </Text>
            </Stack>
            <Group gap="xs">
              <Button variant="light" onClick={() => exportAs('json')} loading={exportFile.isPending && exportFile.variables?.format === 'json'} disabled={exportFile.isPending} data-testid="register-export">
                {t('register.export')}
              </Button>
              <Button variant="light" onClick={() => exportAs('csv')} loading={exportFile.isPending && exportFile.variables?.format === 'csv'} disabled={exportFile.isPending} data-testid="register-export-csv">
                {t('register.exportCsv')}
              </Button>
            </Group>
          </Group>
          <Text size="sm" c="dimmed">
            {t('register.intro')}
          </Text>
          <Section title={t('register.roles')} count={data.roles.length} headers={[t('register.role'), ...period]}>
            {data.roles.map((role, index) => (
              <Table.Tr key={`${role.role}-${index}`}>
                <Table.Td>
                  <Badge variant="light">{translateCode(`role.${role.role}`, {}, role.role)}</Badge>
                </Table.Td>
                <Period from={role.from} until={role.until} />
              </Table.Tr>
            ))}
          </Section>
          <Section title={t('register.relationships')} count={data.treatmentRelationships.length} headers={[t('register.patient'), t('register.kind'), ...period]}>
            {data.treatmentRelationships.map((relationship, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <PatientRef id={relationship.patientId} />
                </Table.Td>
                <Table.Td>{relationshipKindText(relationship.kind)}</Table.Td>
                <Period from={relationship.from} until={relationship.until} />
              </Table.Tr>
            ))}
          </Section>
          <Section title={t('register.readShares')} count={data.readShares.length} headers={[t('register.patient'), t('sharing.scope.label'), t('sharing.purpose'), ...period]}>
            {data.readShares.map((share, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <PatientRef id={share.patientId} />
                </Table.Td>
                <Table.Td>{translateCode(`sharing.scope.${share.scope}`, {}, share.scope)}</Table.Td>
                <Table.Td>{share.purpose}</Table.Td>
                <Period from={share.from} until={share.until} />
              </Table.Tr>
            ))}
          </Section>
          <Section title={t('register.breakGlass')} count={data.breakGlass.length} headers={[t('register.patient'), t('register.reason'), ...period]}>
            {data.breakGlass.map((grant, index) => (
              <Table.Tr key={index}>
                <Table.Td>
                  <PatientRef id={grant.patientId} />
                </Table.Td>
                <Table.Td>{translateCode(`journal.breakGlass.reasons.${grant.reasonCode}`, {}, grant.reasonCode)}</Table.Td>
                <Period from={grant.from} until={grant.until} />
              </Table.Tr>
            ))}
          </Section>
        </Stack>
      )}
    </Modal>
  );
}
