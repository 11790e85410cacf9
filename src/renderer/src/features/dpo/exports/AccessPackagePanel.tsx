import { Alert, Badge, Button, Card, Group, Loader, Modal, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PACKAGE_FORMATS, type PackageFormat, type PackageSection, REDACTION_REASONS, type RedactionReason } from '../../../../../shared/dpo-export-schemas';
import { base64ToBytes, downloadBlob, safeFileName } from '../../../lib/download';
import { formatDateTime } from '../../../lib/format';
import { errorText, translateCode } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { useStepUpMutation } from '../../auth/step-up';

/** A field of an item by its name in words (the shared package labels); an unknown code, from a package made before it had words, as it is. */
const fieldLabel = (key: string): string => translateCode(`dpoExports.package.fields.${key}`, {}, key);

/**
 * The access and portability package of a data-subject request (DPO-5): prepare it from every
 * module, review each section, withhold items with their legal ground, release, then download
 * JSON, FHIR or PDF (each download made and logged by the backend, behind step-up).
 */
export function AccessPackagePanel({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const packageQuery = useQuery(trpc.dpo.exports.package.queryOptions({ caseId }, { staleTime: 0, gcTime: 0 }));
  const queryKey = trpc.dpo.exports.package.queryKey({ caseId });
  const update = (view: unknown) => queryClient.setQueryData(queryKey, view as never);
  const onError = (error: unknown) => notifications.show({ color: 'red', message: errorText(error) });
  const prepare = useMutation(trpc.dpo.exports.preparePackage.mutationOptions({ onSuccess: (view) => { update(view); notifications.show({ color: 'teal', message: t('dpoExports.package.prepared') }); }, onError }));
  const release = useMutation(trpc.dpo.exports.release.mutationOptions({ onSuccess: (view) => { update(view); notifications.show({ color: 'teal', message: t('dpoExports.package.released') }); }, onError }));
  const redact = useMutation(trpc.dpo.exports.redact.mutationOptions({ onSuccess: (view) => { update(view); setRedacting(null); }, onError }));
  const download = useStepUpMutation(trpc.dpo.exports.download.mutationOptions());
  const [redacting, setRedacting] = useState<{ section: PackageSection; itemId: string } | null>(null);
  const [reason, setReason] = useState<RedactionReason>('gdpr_15_4_third_party');
  const view = packageQuery.data;

  const downloadAs = (format: PackageFormat) => {
    if (!view) return;
    download.mutate(
      { packageId: view.id, format },
      {
        onSuccess: (file) => {
          const extension = format === 'pdf' ? 'pdf' : 'json';
          const fileName = safeFileName(file.fileName.replace(/\.(pdf|fhir\.json|json)$/, '') + (format === 'fhir' ? '-fhir' : ''), extension);
          const body = file.encoding === 'base64' ? base64ToBytes(file.content) : file.content;
          downloadBlob(new Blob([body], { type: file.mimeType }), fileName);
          notifications.show({ color: 'teal', message: t('dpoExports.package.downloaded', { fileName }) });
        },
        onError,
      },
    );
  };

  return (
    <Card withBorder padding="lg" data-testid="access-package-panel" data-case-id={caseId}>
      <Stack gap="sm">
        <Title order={3}>{t('dpoExports.package.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('dpoExports.package.intro')}
        </Text>
        {packageQuery.isPending && <Loader size="sm" aria-label={t('dpoExports.package.title')} />}
        {packageQuery.isError && (
          <Alert color="red" role="alert">
            {errorText(packageQuery.error)}
          </Alert>
        )}
        {packageQuery.isSuccess && view === null && <Text size="sm">{t('dpoExports.package.none')}</Text>}
        {packageQuery.isSuccess && view?.status !== 'released' && (
          <Group>
            <Button variant={view ? 'default' : 'filled'} onClick={() => prepare.mutate({ caseId })} loading={prepare.isPending} data-testid="package-prepare">
              {view ? t('dpoExports.package.prepareAgain') : t('dpoExports.package.prepare')}
            </Button>
          </Group>
        )}
        {view && (
          <Stack gap="md">
            <Group gap="xs">
              <Badge color={view.status === 'released' ? 'teal' : 'yellow'} variant="light" data-testid="package-status">
                {t(`dpoExports.package.status.${view.status}`)}
              </Badge>
              <Text size="sm">{t('dpoExports.package.preparedBy', { at: formatDateTime(view.preparedAt), name: view.preparedBy })}</Text>
              {view.releasedAt && <Text size="sm">{t('dpoExports.package.releasedAt', { at: formatDateTime(view.releasedAt) })}</Text>}
            </Group>
            {view.hasBlockedNotes && (
              <Alert color="orange" variant="light">
                {t('dpoExports.package.blockedNotes')}
              </Alert>
            )}
            {view.sections.map((section) => (
              <Stack key={section.section} gap={4} data-testid={`package-section-${section.section}`}>
                <Title order={4}>
                  {t(`dpoExports.package.sections.${section.section}`)}{' '}
                  <Text span size="sm" c="dimmed">
                    ({t('dpoExports.package.itemCount', { count: section.items.length })})
                  </Text>
                </Title>
                {section.items.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('dpoExports.package.empty')}
                  </Text>
                ) : (
                  <Table.ScrollContainer minWidth={500}>
                    <Table striped withTableBorder>
                      <Table.Tbody>
                        {section.items.map((item) => (
                          <Table.Tr key={item.id} data-testid="package-item" data-item-id={item.id}>
                            <Table.Td>
                              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} td={item.redactedFor ? 'line-through' : undefined}>
                                {item.fields.map((field) => `${fieldLabel(field.key)}: ${field.value}`).join('\n')}
                              </Text>
                              {item.redactedFor && (
                                <Badge color="red" variant="light" mt={4}>
                                  {t('dpoExports.package.withheld', { reason: t(`dpoExports.package.reasons.${item.redactedFor}`) })}
                                </Badge>
                              )}
                            </Table.Td>
                            <Table.Td w={140}>
                              {view.status === 'draft' && !item.redactedFor && (
                                <Button size="xs" variant="light" color="red" onClick={() => setRedacting({ section: section.section, itemId: item.id })} aria-label={`${t('dpoExports.package.redact')}: ${t(`dpoExports.package.sections.${section.section}`)} ${item.fields[0]?.value ?? ''}`}>
                                  {t('dpoExports.package.redact')}
                                </Button>
                              )}
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                )}
              </Stack>
            ))}
            {view.status === 'draft' ? (
              <Group>
                <Button color="teal" onClick={() => release.mutate({ packageId: view.id })} loading={release.isPending} data-testid="package-release">
                  {t('dpoExports.package.release')}
                </Button>
              </Group>
            ) : (
              <Stack gap={4}>
                <Group>
                  {PACKAGE_FORMATS.map((format) => (
                    <Button key={format} variant="light" onClick={() => downloadAs(format)} loading={download.isPending && download.variables?.format === format} disabled={download.isPending} data-testid={`package-download-${format}`}>
                      {t('dpoExports.package.download', { format: t(`dpoExports.package.formats.${format}`) })}
                    </Button>
                  ))}
                </Group>
                <Text size="xs" c="dimmed">
                  {t('dpoExports.package.downloadHint')}
                </Text>
              </Stack>
            )}
          </Stack>
        )}
      </Stack>
      <Modal opened={redacting !== null} onClose={() => setRedacting(null)} title={t('dpoExports.package.redactTitle')} closeButtonProps={{ 'aria-label': t('app.close') }}>
        <Stack>
          <NativeSelect
            label={t('dpoExports.package.reason')}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value as RedactionReason)}
            data={REDACTION_REASONS.map((value) => ({ value, label: t(`dpoExports.package.reasons.${value}`) }))}
            data-testid="redact-reason"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRedacting(null)}>
              {t('dpoExports.package.cancel')}
            </Button>
            <Button color="red" loading={redact.isPending} onClick={() => view && redacting && redact.mutate({ packageId: view.id, section: redacting.section, itemId: redacting.itemId, reasonCode: reason })} data-testid="redact-confirm">
              {t('dpoExports.package.confirmRedact')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
