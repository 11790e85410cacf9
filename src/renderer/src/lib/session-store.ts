/**
 * The session as the renderer knows it: the bearer token, held in memory only (DESK-2: nothing
 * sensitive on disk; a reload logs out, on purpose), and whether the screen is locked (AUTH-5).
 * A tiny store with subscribe/getSnapshot so React reads it with useSyncExternalStore and the tRPC
 * link reads the token without React.
 */

/** Why the user is looking at the login page, shown there once. */
export type SessionNotice = 'expired' | 'required' | 'loggedOut';

export interface SessionSnapshot {
  readonly token: string | null;
  readonly isLocked: boolean;
  readonly notice: SessionNotice | null;
}

export interface SessionStore {
  getSnapshot(): SessionSnapshot;
  subscribe(listener: () => void): () => void;
  getToken(): string | null;
  signIn(token: string): void;
  /** Drops the token (and with it the lock); the notice says why on the login page. */
  signOut(notice: SessionNotice | null): void;
  /** Locks the screen; ignored when nobody is signed in. */
  lock(): void;
  unlock(): void;
  clearNotice(): void;
}

const SIGNED_OUT: SessionSnapshot = { token: null, isLocked: false, notice: null };

export function createSessionStore(): SessionStore {
  let snapshot: SessionSnapshot = SIGNED_OUT;
  const listeners = new Set<() => void>();
  const update = (next: SessionSnapshot) => {
    if (next.token === snapshot.token && next.isLocked === snapshot.isLocked && next.notice === snapshot.notice) return;
    snapshot = next;
    for (const listener of [...listeners]) listener();
  };
  return {
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getToken: () => snapshot.token,
    signIn: (token) => update({ token, isLocked: false, notice: null }),
    signOut: (notice) => update({ token: null, isLocked: false, notice }),
    lock() {
      if (snapshot.token) update({ ...snapshot, isLocked: true });
    },
    unlock: () => update({ ...snapshot, isLocked: false }),
    clearNotice: () => update({ ...snapshot, notice: null }),
  };
}
