import { onlineManager, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../../../server/router';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

export function createTrpcClient(backendUrl: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url: `${backendUrl}/trpc`,
        // The session token (issue 3) lives in memory only and is added here, never in storage.
        fetch: (input, init) => fetch(input, { ...init, credentials: 'omit', cache: 'no-store' }),
      }),
    ],
  });
}

export function createQueryClient(): QueryClient {
  // React Query pauses queries and mutations while "offline" and resumes them when back online.
  // We decide what offline means (the backend cannot be reached), not the browser's network flag,
  // so a click made while the server is down is sent when it returns instead of being lost (DESK-4).
  onlineManager.setEventListener(() => () => {});
  return new QueryClient({
    defaultOptions: {
      queries: { retry: 1, refetchOnWindowFocus: false, staleTime: 10_000 },
      mutations: { retry: 0 },
    },
  });
}
