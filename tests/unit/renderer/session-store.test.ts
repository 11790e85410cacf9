import { TRPCClientError } from '@trpc/client';
import { describe, expect, it, vi } from 'vitest';

import { createSessionStore } from '../../../src/renderer/src/lib/session-store';
import { handleSessionError } from '../../../src/renderer/src/lib/trpc';

describe('the session store', () => {
  it('DESK-2: holds the token in memory; signing out forgets it and says why', () => {
    const store = createSessionStore();
    expect(store.getToken()).toBeNull();
    store.signIn('token-aaaaaaaaaaaaaaaaaaaa');
    expect(store.getSnapshot()).toEqual({ token: 'token-aaaaaaaaaaaaaaaaaaaa', isLocked: false, notice: null });
    store.signOut('expired');
    expect(store.getSnapshot()).toEqual({ token: null, isLocked: false, notice: 'expired' });
  });

  it('AUTH-5: locks and unlocks only a signed-in session; signing out ends the lock', () => {
    const store = createSessionStore();
    store.lock();
    expect(store.getSnapshot().isLocked).toBe(false);
    store.signIn('token-aaaaaaaaaaaaaaaaaaaa');
    store.lock();
    expect(store.getSnapshot().isLocked).toBe(true);
    store.unlock();
    expect(store.getSnapshot().isLocked).toBe(false);
    store.lock();
    store.signOut('loggedOut');
    expect(store.getSnapshot().isLocked).toBe(false);
  });

  it('tells subscribers of changes only, with a stable snapshot in between (useSyncExternalStore)', () => {
    const store = createSessionStore();
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    const before = store.getSnapshot();
    store.unlock();
    store.clearNotice();
    expect(listener).not.toHaveBeenCalled();
    expect(store.getSnapshot()).toBe(before);
    store.signIn('token-aaaaaaaaaaaaaaaaaaaa');
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    store.signOut(null);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});

describe('handleSessionError', () => {
  const signedIn = () => {
    const store = createSessionStore();
    store.signIn('token-aaaaaaaaaaaaaaaaaaaa');
    return store;
  };

  it('AUTH-5: a session the server no longer knows, or that expired, sends the user to the login with a notice', () => {
    const required = signedIn();
    handleSessionError(required, new TRPCClientError('auth.session_required'));
    expect(required.getSnapshot()).toEqual({ token: null, isLocked: false, notice: 'required' });
    const expired = signedIn();
    handleSessionError(expired, new TRPCClientError('auth.session_expired'));
    expect(expired.getSnapshot()).toEqual({ token: null, isLocked: false, notice: 'expired' });
  });

  it('AUTH-5: a session the server locked for idleness shows the lock screen and keeps the token', () => {
    const store = signedIn();
    handleSessionError(store, new TRPCClientError('auth.session_locked'));
    expect(store.getSnapshot()).toEqual({ token: 'token-aaaaaaaaaaaaaaaaaaaa', isLocked: true, notice: null });
  });

  it('other errors (a failed login, a refusal, the network) leave the session alone', () => {
    for (const error of [new TRPCClientError('auth.login_failed'), new TRPCClientError('auth.step_up_required'), new TRPCClientError('auth.forbidden'), new Error('auth.session_required')]) {
      const store = signedIn();
      handleSessionError(store, error);
      expect(store.getSnapshot().token).not.toBeNull();
      expect(store.getSnapshot().isLocked).toBe(false);
    }
  });

  it('without a session nothing happens (the login page itself calls public procedures)', () => {
    const store = createSessionStore();
    handleSessionError(store, new TRPCClientError('auth.session_required'));
    expect(store.getSnapshot()).toEqual({ token: null, isLocked: false, notice: null });
  });
});
