import { MutationCache, onlineManager, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../../server/router';
import { apiErrorCode, isFinalError, SESSION_ERRORS } from './api-error';
import { deviceId } from './device-id';
import { FetchEventSource, type FetchEventSourceInit } from './fetch-event-source';
import type { SessionStore } from './session-store';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createTrpcClient(backendUrl: string, session: SessionStore) {
  // The token lives in memory only (DESK-2) and goes out as a header, never as a cookie or in a URL.
  const headers = async (): Promise<Record<string, string>> => {
    const token = session.getToken();
    return {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'x-device-id': await deviceId(),
    };
  };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Live updates (PLAT-10, docs/adr/0012): SSE through an EventSource over fetch, so the
        // token travels as a header on each (re)connection, read fresh each time.
        true: httpSubscriptionLink({
          url: `${backendUrl}/trpc`,
          EventSource: FetchEventSource,
          eventSourceOptions: async (): Promise<FetchEventSourceInit> => ({ headers: await headers() }),
        }),
        false: httpBatchLink({
          url: `${backendUrl}/trpc`,
          // The server takes at most 10 calls per batch (PLAT-9, JK_TRPC_MAX_BATCH): never send more.
          maxItems: 10,
          headers,
          fetch: (input, init) => fetch(input, { ...init, credentials: 'omit', cache: 'no-store' }),
        }),
      }),
    ],
  });
}

/**
 * What any failed call says about the session: gone (log in again, with a notice) or locked by
 * the idle timeout on the server (AUTH-5: show the lock screen over the page).
 */
export function handleSessionError(session: SessionStore, error: unknown): void {
  if (!session.getToken()) return;
  const code = apiErrorCode(error);
  if (code === SESSION_ERRORS.required) session.signOut('required');
  else if (code === SESSION_ERRORS.expired) session.signOut('expired');
  else if (code === SESSION_ERRORS.locked) session.lock();
}

export function createQueryClient(session: SessionStore): QueryClient {
  // React Query pauses queries and mutations while "offline" and resumes them when back online.
  // We decide what offline means (the backend cannot be reached), not the browser's network flag,
  // so a click made while the server is down is sent when it returns instead of being lost (DESK-4).
  onlineManager.setEventListener(() => () => {});
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error) => handleSessionError(session, error) }),
    mutationCache: new MutationCache({ onError: (error) => handleSessionError(session, error) }),
    defaultOptions: {
      // A refusal (no session, no access, bad input) is final; only failures of the server or the
      // network are worth a second try.
      queries: { retry: (count, error) => count < 1 && !isFinalError(error), refetchOnWindowFocus: false, staleTime: 10_000 },
      mutations: { retry: 0 },
    },
  });
}
