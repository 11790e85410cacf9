import { Alert, Button, Code, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { REVEAL_REASONS, type RevealReason } from '../../../../shared/portal-schemas';
import { useTRPC } from '../../lib/trpc';
import { useStepUpMutation } from '../auth/step-up';
import { portalErrorText } from './portal-errors';
import type { EmployeeRow } from './types';

function isRevealReason(value: string): value is RevealReason {
  return (REVEAL_REASONS as readonly string[]).includes(value);
}

/**
 * CRM-4: the whole fødselsnummer of one employee, shown only after a reason is chosen (the server
 * logs the view with it). The number lives in this dialog's state only: not in the query cache, not
 * in the list; closing the dialog unmounts it and the number is gone.
 */
export function RevealNationalIdModal({ employee, onClose }: { employee: EmployeeRow | null; onClose: () => void }) {
  return employee ? <RevealForm key={employee.id} employee={employee} onClose={onClose} /> : null;
}

function RevealForm({ employee, onClose }: { employee: EmployeeRow; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const [reason, setReason] = useState<RevealReason | ''>('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  // gcTime 0: the answer is not kept in the mutation cache after this dialog lets go of it.
  const reveal = useStepUpMutation({ ...trpc.portal.revealNationalId.mutationOptions(), gcTime: 0 });
  const [nationalId, setNationalId] = useState<string | null>(null);

  const close = () => {
    setNationalId(null);
    reveal.reset();
    onClose();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason === '') {
      setReasonError(t('validation.required', { field: t('portal.reveal.reason') }));
      return;
    }
    reveal.mutate(
      { employeeId: employee.id, reason },
      {
        onSuccess: (result) => {
          setNationalId(result.nationalId);
          reveal.reset();
        },
      },
    );
  };

  return (
    <Modal opened onClose={close} title={t('portal.reveal.title')} closeButtonProps={{ 'aria-label': t('app.close') }} data-testid="reveal-modal">
      {nationalId === null ? (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">{t('portal.reveal.intro', { name: employee.fullName })}</Text>
            <NativeSelect
              label={t('portal.reveal.reason')}
              required
              value={reason}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setReason(isRevealReason(value) ? value : '');
                setReasonError(undefined);
              }}
              data={[{ value: '', label: t('portal.reveal.choose') }, ...REVEAL_REASONS.map((value) => ({ value, label: t(`portal.reveal.reasons.${value}`) }))]}
              error={reasonError}
            />
            {reveal.isError && (
              <Alert color="red" role="alert">
                {portalErrorText(reveal.error)}
              </Alert>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('journal.cancel')}
              </Button>
              <Button type="submit" loading={reveal.isPending}>
                {t('portal.reveal.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      ) : (
        <Stack gap="sm">
          <Text size="sm">{employee.fullName}</Text>
          <div>
            <Text size="xs" c="dimmed" id="revealed-national-id-label">
              {t('portal.reveal.number')}
            </Text>
            <Code fz="lg" aria-labelledby="revealed-national-id-label" data-testid="revealed-national-id">
              {nationalId}
            </Code>
          </div>
          <Text size="xs" c="dimmed">
            {t('portal.reveal.logged')}
          </Text>
          <Group justify="flex-end">
            <Button onClick={close}>{t('portal.reveal.close')}</Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
