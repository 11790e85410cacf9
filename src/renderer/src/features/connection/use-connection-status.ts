import { onlineManager, useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '../../lib/trpc';

export const HEALTH_POLL_SECONDS = 3;

export type ConnectionState = 'checking' | 'online' | 'database-down' | 'offline';

/**
 * Polls the backend's health every few seconds (DESK-4) and tells React Query whether the backend
 * can be reached, so queries and mutations wait while it cannot and resume when it returns.
 */
export function useConnectionStatus(): ConnectionState {
  const trpc = useTRPC();
  const health = useQuery(
    trpc.system.health.queryOptions(undefined, {
      refetchInterval: HEALTH_POLL_SECONDS * 1000,
      refetchIntervalInBackground: true,
      // The health check itself must run while "offline": it is how we notice the way back.
      networkMode: 'always',
      retry: false,
      staleTime: 0,
    }),
  );

  let state: ConnectionState;
  if (health.isError) state = 'offline';
  else if (!health.data) state = 'checking';
  else state = health.data.database === 'ok' ? 'online' : 'database-down';

  useEffect(() => {
    if (state !== 'checking') onlineManager.setOnline(state === 'online');
  }, [state]);

  return state;
}
