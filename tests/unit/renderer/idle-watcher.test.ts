import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { IDLE_LOCK_MS, KEEPALIVE_MS, watchIdle } from '../../../src/renderer/src/features/auth/idle-watcher';

describe('watchIdle', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-06-15T08:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('AUTH-5: locks after 15 minutes without input, once', () => {
    const onIdle = vi.fn();
    watchIdle({ target: new EventTarget(), onIdle });
    vi.advanceTimersByTime(IDLE_LOCK_MS - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(IDLE_LOCK_MS * 3);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it.each(['mousemove', 'keydown', 'pointerdown'])('AUTH-5: %s restarts the 15 minutes', (name) => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    watchIdle({ target, onIdle });
    vi.advanceTimersByTime(10 * 60 * 1000);
    target.dispatchEvent(new Event(name));
    vi.advanceTimersByTime(10 * 60 * 1000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * 60 * 1000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('AUTH-5: trusts the clock, not the timer: a jump forward (a closed laptop lid) locks at the next tick', () => {
    const onIdle = vi.fn();
    watchIdle({ target: new EventTarget(), onIdle });
    vi.setSystemTime(Date.now() + IDLE_LOCK_MS + 1000);
    vi.advanceTimersByTime(IDLE_LOCK_MS);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops watching when disposed', () => {
    const target = new EventTarget();
    const onIdle = vi.fn();
    const onKeepalive = vi.fn();
    const stop = watchIdle({ target, onIdle, onKeepalive });
    stop();
    vi.advanceTimersByTime(KEEPALIVE_MS * 2);
    target.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(IDLE_LOCK_MS * 2);
    expect(onIdle).not.toHaveBeenCalled();
    expect(onKeepalive).not.toHaveBeenCalled();
  });

  it('AUTH-5: while the user is active the server hears of it at most every keepalive interval', () => {
    const target = new EventTarget();
    const onKeepalive = vi.fn();
    watchIdle({ target, onIdle: vi.fn(), onKeepalive });
    for (let second = 0; second < 5 * 60; second++) {
      vi.advanceTimersByTime(1000);
      target.dispatchEvent(new Event('mousemove'));
    }
    expect(onKeepalive).toHaveBeenCalledTimes(Math.floor((5 * 60 * 1000) / KEEPALIVE_MS));
  });
});
