import { Button, Card, Group, Radio, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { auditLogExportSchema, LOG_EXPORT_FORMATS, type LogExportFormat } from '../../../../../shared/dpo-export-schemas';
import { addDays, osloCalendarDate } from '../../../../../shared/oslo-time';
import { downloadBlob, safeFileName } from '../../../lib/download';
import { errorText, fieldErrorMessages, issueMessages } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';
import { useStepUpMutation } from '../../auth/step-up';

/**
 * AUD-5: the log of a period as JSON lines or as FHIR R4 AuditEvents (IHE BALP). The backend makes
 * the file and logs the export with the client address; a fresh second factor first (AUTH-5).
 */
export function LogExportCard() {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const today = osloCalendarDate(new Date());
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const [format, setFormat] = useState<LogExportFormat>('jsonl');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const exportLog = useStepUpMutation(trpc.dpo.exports.auditLog.mutationOptions());
  const labels = { from: t('dpoExports.log.from'), to: t('dpoExports.log.to'), format: t('dpoExports.log.format') };

  const submit = () => {
    const parsed = auditLogExportSchema.safeParse({ from, to, format });
    if (!parsed.success) {
      setErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setErrors({});
    exportLog.mutate(parsed.data, {
      onSuccess: (file) => {
        const extension = file.fileName.endsWith('.jsonl') ? 'jsonl' : 'json';
        const fileName = safeFileName(file.fileName.replace(/\.(jsonl|fhir\.json)$/, ''), extension);
        downloadBlob(new Blob([file.content], { type: file.mimeType }), fileName);
        notifications.show({ color: 'teal', message: t('dpoExports.log.exported', { count: file.eventCount, fileName }) });
      },
      onError: (error) => {
        const messages = fieldErrorMessages(error, labels);
        if (Object.keys(messages).length > 0) setErrors(messages);
        else notifications.show({ color: 'red', message: errorText(error) });
      },
    });
  };

  return (
    <Card withBorder padding="lg" data-testid="log-export-card">
      <Stack gap="sm">
        <Title order={3}>{t('dpoExports.log.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('dpoExports.log.intro')}
        </Text>
        <Group align="flex-start">
          <TextInput type="date" label={labels.from} value={from} onChange={(event) => setFrom(event.currentTarget.value)} error={errors.from} max={today} data-testid="log-export-from" />
          <TextInput type="date" label={labels.to} value={to} onChange={(event) => setTo(event.currentTarget.value)} error={errors.to} max={today} data-testid="log-export-to" />
        </Group>
        <Radio.Group label={labels.format} value={format} onChange={(value) => setFormat(value as LogExportFormat)} error={errors.format}>
          <Group mt={4}>
            {LOG_EXPORT_FORMATS.map((value) => (
              <Radio key={value} value={value} label={t(`dpoExports.log.formats.${value}`)} />
            ))}
          </Group>
        </Radio.Group>
        {errors[''] && (
          <Text c="red" size="sm" role="alert">
            {errors['']}
          </Text>
        )}
        <Group>
          <Button onClick={submit} loading={exportLog.isPending} data-testid="log-export-submit">
            {t('dpoExports.log.export')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
