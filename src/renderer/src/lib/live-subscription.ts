import { isFinalError } from './api-error';
import type { createTrpcClient } from './trpc';

/** What can change live (the server's LIVE_TOPICS); one subscription procedure per topic. */
export type LiveTopic = 'visits';

/** How the live link stands: shown on the board so a coordinator knows whether it updates itself. */
export type LiveStatus = 'connecting' | 'live' | 'offline';

/** Waits before subscribing again after a failure: quick at first, then at most every 30 s. */
const RETRY_MS = [1000, 2000, 5000, 10_000, 30_000] as const;

type TrpcClient = ReturnType<typeof createTrpcClient>;

interface LiveHandlers {
  onStarted: () => void;
  onData: (event: { ids: string[] }) => void;
  onError: (error: unknown) => void;
  onConnectionStateChange: (state: { state: 'idle' | 'connecting' | 'pending' }) => void;
  onComplete: () => void;
}

const SUBSCRIBE: Record<LiveTopic, (client: TrpcClient, handlers: LiveHandlers) => { unsubscribe(): void }> = {
  visits: (client, handlers) => client.visits.live.subscribe(undefined, handlers),
};

export interface LiveInvalidationOptions {
  client: TrpcClient;
  topic: LiveTopic;
  /** Something changed (the ids), or may have changed (none: after a reconnection): refetch. */
  onChange: (ids: readonly string[]) => void;
  onStatus: (status: LiveStatus) => void;
  /** A failed subscription, for the app's session handling (signed out, locked). */
  onError: (error: unknown) => void;
  retryMs?: readonly number[];
}

/**
 * Keeps one live subscription open (PLAT-10, docs/adr/0012): each event calls `onChange`; after a
 * reconnection it calls `onChange([])`, since changes made meanwhile were not heard; a failure that
 * is not a refusal subscribes again with backoff, also when the server ends the stream (an instance
 * shutting down: the next connection goes to another). A refusal (no session, locked, role revoked)
 * is final: the session state decides what happens next. Returns the stop.
 */
export function startLiveInvalidation(options: LiveInvalidationOptions): () => void {
  const retryMs = options.retryMs ?? RETRY_MS;
  let isStopped = false;
  let attempt = 0;
  let hasStartedBefore = false;
  let subscription: { unsubscribe(): void } | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;

  const retry = () => {
    if (isStopped || retryTimer) return;
    const old = subscription;
    subscription = undefined;
    options.onStatus('offline');
    retryTimer = setTimeout(start, retryMs[Math.min(attempt, retryMs.length - 1)]);
    attempt += 1;
    old?.unsubscribe();
  };

  function start() {
    retryTimer = undefined;
    if (isStopped) return;
    options.onStatus('connecting');
    subscription = SUBSCRIBE[options.topic](options.client, {
      onStarted: () => {
        attempt = 0;
        options.onStatus('live');
        if (hasStartedBefore) options.onChange([]);
        hasStartedBefore = true;
      },
      onData: (event) => options.onChange(event.ids),
      onConnectionStateChange: ({ state }) => {
        if (state === 'connecting' && !isStopped) options.onStatus('connecting');
      },
      onError: (error) => {
        if (isStopped) return;
        options.onError(error);
        if (isFinalError(error)) {
          options.onStatus('offline');
          return;
        }
        retry();
      },
      onComplete: () => retry(),
    });
  }

  start();
  return () => {
    isStopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = undefined;
    const current = subscription;
    subscription = undefined;
    current?.unsubscribe();
  };
}
