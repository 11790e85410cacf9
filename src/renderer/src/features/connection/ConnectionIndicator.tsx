import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ConnectionState } from './use-connection-status';

const COLORS: Record<ConnectionState, string> = {
  checking: 'gray',
  online: 'teal',
  'database-down': 'orange',
  offline: 'red',
};

export function ConnectionIndicator({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  const label = state === 'online' ? t('connection.online') : state === 'checking' ? t('connection.checking') : t('connection.offline');
  return (
    <Badge color={COLORS[state]} variant="light" data-testid="connection-indicator" data-state={state} role="status">
      {label}
    </Badge>
  );
}
