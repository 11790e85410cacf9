import { type QueryKey, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useSession, useSessionStore } from '../features/auth/session-context';
import { isFinalError } from './api-error';
import { handleSessionError, useTRPCClient } from './trpc';

/** What can change live (the server's LIVE_TOPICS); one subscription procedure per topic. */
export type LiveTopic = 'visits';

/** How the live link stands: shown on the board so a coordinator knows whether it updates itself. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

/** Waits before subscribing again after a failure: quick at first, then at most every 30 s. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000] as const;

type LiveHandlers = {
  onStarted: () => void;
  onData: (event: { ids: string[] }) => void;
  onError: (error: unknown) => void;
  onConnectionStateChange: (state: { state: 'idle' | 'connecting' | 'pending' }) => void;
  onComplete: () => void;
};

type TrpcClient = ReturnType<typeof useTRPCClient>;

const SUBSCRIBE: Record<LiveTopic, (client: TrpcClient, handlers: LiveHandlers) => { unsubscribe(): void }> = {
  visits: (client, handlers) => client.visits.live.subscribe(undefined, handlers),
};

/**
 * Keeps the given queries fresh while the page is open (PLAT-10, VIS-3): each change of the topic in
 * the user's organisation, on any backend instance, invalidates them, so react-query refetches through
 * the audited queries (the event itself carries ids only). After a reconnection it invalidates too,
 * since changes made meanwhile were not heard. It stops while the session is locked or gone; a refusal
 * by the server goes through the same session handling as any other call.
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
    let isStopped = false;
    let attempt = 0;
    let hasStartedBefore = false;
    let subscription: { unsubscribe(): void } | undefined;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const invalidate = () => {
      for (const queryKey of keysRef.current) void queryClient.invalidateQueries({ queryKey });
    };
    const retry = () => {
      subscription?.unsubscribe();
      subscription = undefined;
      if (isStopped) return;
      setStatus('offline');
      const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
      attempt += 1;
      retryTimer = setTimeout(start, delay);
    };
    function start() {
      retryTimer = undefined;
      if (isStopped) return;
      if (attempt > 0) setStatus('connecting');
      subscription = SUBSCRIBE[topic](client, {
        onStarted: () => {
          attempt = 0;
          setStatus('live');
          // Anything that changed while the link was down was not heard: refetch once.
          if (hasStartedBefore) invalidate();
          hasStartedBefore = true;
        },
        onData: () => invalidate(),
        onConnectionStateChange: ({ state }) => {
          if (state === 'connecting' && !isStopped) setStatus('connecting');
        },
        onError: (error) => {
          handleSessionError(store, error);
          // A refusal (session gone or locked, role revoked) is final: the session state decides what next.
          if (isFinalError(error)) {
            setStatus('offline');
            return;
          }
          retry();
        },
        // The server ended the stream (it is shutting down): another instance will take the next one.
        onComplete: () => retry(),
      });
    }
    start();
    return () => {
      isStopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      subscription?.unsubscribe();
    };
  }, [client, queryClient, store, token, isLocked, topic]);

  return !token || isLocked ? 'offline' : status;
}
