import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { HEALTH_POLL_SECONDS, type ConnectionState } from './use-connection-status';

/**
 * Shown above the page, never instead of it: the page and whatever the user typed stay mounted
 * while the backend is away.
 */
export function OfflineBanner({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  if (state !== 'offline' && state !== 'database-down') return null;
  return (
    <Alert color={state === 'offline' ? 'red' : 'orange'} title={t('connection.offlineTitle')} mb="md" data-testid="offline-banner" role="alert">
      {state === 'database-down' ? t('connection.databaseDown') : t('connection.offlineBody', { seconds: HEALTH_POLL_SECONDS })}
    </Alert>
  );
}
