import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';

/** A yes/no question before a consequential action, with the action's error shown in place. */
export function ConfirmModal(props: {
  opened: boolean;
  title: string;
  body: string;
  actionLabel: string;
  cancelLabel: string;
  errorMessage: string | undefined;
  isPending: boolean;
  /** Red for actions that take something away (lock, revoke, withdraw); plain for giving back. */
  isDestructive: boolean;
  testId: string;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <Modal opened={props.opened} onClose={props.onCancel} title={props.title} centered data-testid={props.testId}>
      <Stack gap="sm">
        <Text size="sm">{props.body}</Text>
        {props.errorMessage && (
          <Alert color="red" role="alert">
            {props.errorMessage}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onCancel}>
            {props.cancelLabel}
          </Button>
          <Button color={props.isDestructive ? 'red' : undefined} onClick={props.onConfirm} loading={props.isPending}>
            {props.actionLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
