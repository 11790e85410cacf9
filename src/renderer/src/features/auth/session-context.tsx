import { useMutation, useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { SessionSnapshot, SessionStore } from '../../lib/session-store';
import { useTRPC } from '../../lib/trpc';

const SessionContext = createContext<SessionStore | null>(null);

export function SessionProvider({ store, children }: { store: SessionStore; children: ReactNode }) {
  return <SessionContext.Provider value={store}>{children}</SessionContext.Provider>;
}

export function useSessionStore(): SessionStore {
  const store = useContext(SessionContext);
  if (!store) throw new Error('useSessionStore outside SessionProvider');
  return store;
}

export function useSession(): SessionSnapshot {
  const store = useSessionStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Who is logged in (name, roles, method): asked of the server, never kept anywhere but memory. */
export function useCurrentUser() {
  const trpc = useTRPC();
  const { token } = useSession();
  return useQuery(trpc.auth.session.me.queryOptions(undefined, { enabled: token !== null, staleTime: 60_000 }));
}

/** Ends the session on the server, and here whatever the server says (it may be gone already). */
export function useLogout() {
  const trpc = useTRPC();
  const store = useSessionStore();
  return useMutation(trpc.auth.session.logout.mutationOptions({ onSettled: () => store.signOut('loggedOut') }));
}
