import { Alert, Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_ERROR_MESSAGES } from '../../../../../shared/api-errors';
import { closeFlagSchema, FLAG_COMMENT_MAX, FLAG_OUTCOMES, type FlagOutcomeCode, type FlagRuleCode } from '../../../../../shared/dpo-flags-schemas';
import { apiErrorCode } from '../../../lib/api-error';
import { formatDateTime } from '../../../lib/format';
import { errorText, fieldErrorMessages, issueMessages } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';

export interface FlagToClose {
  id: string;
  rule: FlagRuleCode;
  occurredAt: string;
  user: { name: string };
  patient: { name: string };
  version: number;
}

/**
 * DPO-2: closing a flag — the outcome (justified / followed up) and a comment. The shared schema
 * checks both before sending; the server checks again and refuses a flag someone else changed.
 * The comment stays on the flag (the log's event has only the outcome).
 */
export function CloseFlagModal({ flag, onClose }: { flag: FlagToClose; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<FlagOutcomeCode | ''>('');
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const labels = useMemo(() => ({ outcome: t('dpoFlags.closeModal.outcome'), comment: t('dpoFlags.closeModal.comment') }), [t]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.dpo.flags.pathKey() });
  const close = useMutation(
    trpc.dpo.flags.close.mutationOptions({
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('dpoFlags.closeModal.closed') });
        void refresh();
        onClose();
      },
      onError: (error) => {
        if (apiErrorCode(error) === API_ERROR_MESSAGES.recordChanged) {
          notifications.show({ color: 'orange', message: t('dpoFlags.closeModal.changed') });
          void refresh();
          onClose();
          return;
        }
        setErrors(fieldErrorMessages(error, labels));
      },
    }),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { flagId: flag.id, outcome, comment, expectedVersion: flag.version };
    const parsed = closeFlagSchema.safeParse(input);
    if (!parsed.success) {
      setErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setErrors({});
    close.mutate(parsed.data);
  };

  return (
    <Modal opened onClose={onClose} title={t('dpoFlags.closeModal.title')} size="lg" closeButtonProps={{ 'aria-label': t('dpoFlags.closeModal.cancel') }} data-testid="flag-close-modal">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">
            {t('dpoFlags.closeModal.summary', { rule: t(`dpoFlags.rule.${flag.rule}`), user: flag.user.name, patient: flag.patient.name, date: formatDateTime(flag.occurredAt) })}
          </Text>
          <Radio.Group
            label={labels.outcome}
            withAsterisk
            value={outcome}
            onChange={(value) => setOutcome((FLAG_OUTCOMES as readonly string[]).includes(value) ? (value as FlagOutcomeCode) : '')}
            error={errors.outcome}
          >
            <Stack gap={6} mt={4}>
              {FLAG_OUTCOMES.map((option) => (
                <Radio key={option} value={option} label={t(`dpoFlags.closeModal.${option}`)} data-testid={`flag-outcome-${option}`} />
              ))}
            </Stack>
          </Radio.Group>
          <Textarea
            label={labels.comment}
            description={t('dpoFlags.closeModal.commentHint')}
            withAsterisk
            autosize
            minRows={3}
            maxLength={FLAG_COMMENT_MAX}
            value={comment}
            onChange={(event) => setComment(event.currentTarget.value)}
            error={errors.comment}
            data-testid="flag-comment"
          />
          {errors[''] && (
            <Alert color="red" role="alert">
              {errors['']}
            </Alert>
          )}
          {close.isError && !errors[''] && Object.keys(errors).length === 0 && (
            <Alert color="red" role="alert">
              {errorText(close.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('dpoFlags.closeModal.cancel')}
            </Button>
            <Button type="submit" loading={close.isPending} data-testid="flag-close-submit">
              {t('dpoFlags.closeModal.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
