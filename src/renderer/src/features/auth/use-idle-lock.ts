import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from '../../lib/trpc';
import { watchIdle } from './idle-watcher';
import { useSession, useSessionStore } from './session-context';

/**
 * AUTH-5, DESK-4: while signed in and unlocked, locks the screen after 15 minutes without input.
 * While the user is active, the session is touched now and then, so the server's idle clock (which
 * only sees requests) does not lock someone who is typing a long note.
 */
export function useIdleLock(): void {
  const store = useSessionStore();
  const { token, isLocked } = useSession();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isWatching = token !== null && !isLocked;

  useEffect(() => {
    if (!isWatching) return;
    return watchIdle({
      target: window,
      onIdle: () => store.lock(),
      onKeepalive: () => void queryClient.refetchQueries({ queryKey: trpc.auth.session.me.queryKey() }),
    });
  }, [isWatching, store, queryClient, trpc]);
}
