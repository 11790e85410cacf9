import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSession, useSessionStore } from '../features/auth/session-context';
import { type LiveStatus, type LiveTopic, startLiveInvalidation } from './live-subscription';
import { handleSessionError, useTRPCClient } from './trpc';

export type { LiveStatus, LiveTopic } from './live-subscription';

/**
 * Keeps the given queries fresh while the page is open (PLAT-10, VIS-3): each change of the topic in
 * the user's organisation, on any backend instance, invalidates them, so react-query refetches through
 * the audited queries (the event itself carries ids only); after a reconnection too, since changes
 * made meanwhile were not heard. It stops while the session is locked or gone; a refusal by the
 * server goes through the same session handling as any other call.
 *
 *   const status = useLiveInvalidate('visits', [trpc.visits.board.queryKey()]);
 */
export function useLiveInvalidate(topic: LiveTopic, queryKeys: readonly QueryKey[]): LiveStatus {
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const store = useSessionStore();
  const { token, isLocked } = useSession();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  // The caller's keys change identity on every render; the subscription must not.
  const keysRef = useRef(queryKeys);
  useEffect(() => {
    keysRef.current = queryKeys;
  });

  useEffect(() => {
    if (!token || isLocked) return undefined;
    return startLiveInvalidation({
      client,
      topic,
      onChange: () => {
        for (const queryKey of keysRef.current) void queryClient.invalidateQueries({ queryKey });
      },
      onStatus: setStatus,
      onError: (error) => handleSessionError(store, error),
    });
  }, [client, queryClient, store, token, isLocked, topic]);

  return !token || isLocked ? 'offline' : status;
}
