import { Alert, Button, Checkbox, Group, List, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BREAK_GLASS_REASONS } from '../../../../shared/patient-schemas';
import { apiErrorCode } from '../../lib/api-error';
import { formatDateTime } from '../../lib/format';
import { errorText, fieldErrorMessages } from '../../lib/translate';
import { useTRPC } from '../../lib/trpc';
import { formatNationalId } from './preview';
import { API_ERROR_MESSAGES } from '../../../../shared/api-errors';

type Reason = (typeof BREAK_GLASS_REASONS)[number];

/** Whom to open: a patient by id (from a link), or by fødselsnummer (when search showed no one). */
export type BreakGlassTarget = { patientId: string } | { nationalId: string };

/**
 * ACC-3 break-glass ("akuttilgang"): a coded reason, optional free text (never shown to the
 * patient), and the clinician told — and confirming they understand — that the access is logged,
 * lasts four hours and is reviewed by the data protection officer, before anything opens. By
 * number, nothing tells whether such a patient exists until the clinician has confirmed.
 */
export function BreakGlassModal({
  opened,
  target,
  onClose,
  onGranted,
}: {
  opened: boolean;
  target: BreakGlassTarget;
  onClose: () => void;
  onGranted: (result: { patientId: string; expiresAt: string }) => void;
}) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [reasonCode, setReasonCode] = useState<Reason | ''>('');
  const [reasonText, setReasonText] = useState('');
  const [isAcknowledged, setIsAcknowledged] = useState(false);
  const breakGlass = useMutation(trpc.access.breakGlass.mutationOptions());
  const labels = { reasonCode: t('journal.breakGlass.reason'), reasonText: t('journal.breakGlass.reasonText'), isWarningAcknowledged: t('journal.breakGlass.acknowledge') };
  const errors = fieldErrorMessages(breakGlass.error, labels);
  const byNumber = 'nationalId' in target;
  // By number, "not found" means no patient with that number in the organisation (said only now).
  const generalError = byNumber && apiErrorCode(breakGlass.error) === API_ERROR_MESSAGES.notFound ? t('journal.breakGlass.byNumber.notFound') : (errors[''] ?? errorText(breakGlass.error));

  const close = () => {
    setReasonCode('');
    setReasonText('');
    setIsAcknowledged(false);
    breakGlass.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reasonCode || !isAcknowledged) return;
    breakGlass.mutate(
      { ...target, reasonCode, reasonText, isWarningAcknowledged: true },
      {
        onSuccess: (result) => {
          notifications.show({ color: 'orange', message: t('journal.breakGlass.granted', { time: formatDateTime(result.expiresAt) }) });
          setReasonCode('');
          setReasonText('');
          setIsAcknowledged(false);
          breakGlass.reset();
          onGranted(result);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={t('journal.breakGlass.title')} size="lg" data-testid="break-glass-modal">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {byNumber && (
            <Text size="sm" data-testid="break-glass-number">
              {t('journal.breakGlass.byNumber.number')}: <strong>{formatNationalId(target.nationalId)}</strong>
            </Text>
          )}
          <Alert color="red" variant="light" title={t('journal.breakGlass.warningTitle')} data-testid="break-glass-warning">
            <List size="sm" spacing={4}>
              <List.Item>{t('journal.breakGlass.warningLogged')}</List.Item>
              <List.Item>{t('journal.breakGlass.warningDuration')}</List.Item>
              <List.Item>{t('journal.breakGlass.warningReview')}</List.Item>
              <List.Item>{t('journal.breakGlass.warningBlocks')}</List.Item>
            </List>
          </Alert>
          <Radio.Group label={labels.reasonCode} withAsterisk value={reasonCode} onChange={(value) => setReasonCode((BREAK_GLASS_REASONS as readonly string[]).includes(value) ? (value as Reason) : '')} error={errors.reasonCode}>
            <Stack gap={6} mt={4}>
              {BREAK_GLASS_REASONS.map((reason) => (
                <Radio key={reason} value={reason} label={t(`journal.breakGlass.reasons.${reason}`)} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea label={labels.reasonText} description={t('journal.breakGlass.reasonTextHint')} autosize minRows={2} maxLength={1000} value={reasonText} onChange={(event) => setReasonText(event.currentTarget.value)} error={errors.reasonText} />
          <Checkbox label={labels.isWarningAcknowledged} checked={isAcknowledged} onChange={(event) => setIsAcknowledged(event.currentTarget.checked)} error={errors.isWarningAcknowledged} />
          {breakGlass.error && !errors.reasonCode && !errors.reasonText && !errors.isWarningAcknowledged && (
            <Alert color="red" role="alert" data-testid="break-glass-error">
              {generalError}
            </Alert>
          )}
          <Text size="xs" c="dimmed">
            {t('journal.breakGlass.footnote')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('journal.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={!reasonCode || !isAcknowledged} loading={breakGlass.isPending}>
              {t('journal.breakGlass.confirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
