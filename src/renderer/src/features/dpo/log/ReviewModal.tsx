import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOG_REVIEW_COMMENT_MAX, markReviewedSchema } from '../../../../../shared/dpo-log-schemas';
import { errorText, fieldErrorMessages, issueMessages } from '../../../lib/translate';
import { useTRPC } from '../../../lib/trpc';

/** DPO-1: "Merk som kontrollert" with a comment (kept with the review, never in the log). */
export function ReviewModal({ eventIds, opened, onClose, onSaved }: { eventIds: readonly string[]; opened: boolean; onClose: () => void; onSaved: (count: number) => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const mutation = useMutation(trpc.dpo.log.markReviewed.mutationOptions());
  const labels = { comment: t('dpoLog.comment'), eventIds: t('dpoLog.select') };
  const serverErrors = fieldErrorMessages(mutation.error, labels);
  const shown = { ...serverErrors, ...errors };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = markReviewedSchema.safeParse({ eventIds: [...eventIds], comment });
    if (!parsed.success) {
      setErrors(issueMessages(parsed.error.issues, labels));
      return;
    }
    setErrors({});
    mutation.mutate(parsed.data, {
      onSuccess: (result) => {
        setComment('');
        onSaved(result.reviewed);
      },
    });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('dpoLog.reviewTitle')} closeButtonProps={{ 'aria-label': t('dpoLog.cancel') }}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Text size="sm">{t('dpoLog.reviewIntro', { count: eventIds.length })}</Text>
          <Textarea
            label={labels.comment}
            description={t('dpoLog.commentHint')}
            required
            autosize
            minRows={3}
            maxLength={LOG_REVIEW_COMMENT_MAX}
            value={comment}
            onChange={(change) => setComment(change.currentTarget.value)}
            error={shown.comment}
            data-autofocus
          />
          {(shown.eventIds || shown['']) && (
            <Alert color="red" role="alert">
              {shown.eventIds ?? shown['']}
            </Alert>
          )}
          {mutation.isError && Object.keys(serverErrors).length === 0 && (
            <Alert color="red" role="alert">
              {errorText(mutation.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('dpoLog.cancel')}
            </Button>
            <Button type="submit" loading={mutation.isPending}>
              {t('dpoLog.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
