/** AUTH-5: the app locks after 15 minutes without user input. */
export const IDLE_LOCK_MS = 15 * 60 * 1000;
/** While the user is active, the server hears about it this often, so its idle clock agrees with ours. */
export const KEEPALIVE_MS = 2 * 60 * 1000;
export const ACTIVITY_EVENTS = ['mousemove', 'keydown', 'pointerdown', 'wheel', 'touchstart'] as const;

export interface IdleWatcherOptions {
  target: EventTarget;
  onIdle: () => void;
  /** Called on input at most once per keepalive interval. */
  onKeepalive?: () => void;
  idleMs?: number;
  keepaliveMs?: number;
}

/**
 * Watches for input and calls onIdle once after idleMs without any. Uses setTimeout and Date.now
 * only (no intervals, no performance clock), so a test clock can fast-forward it; the timer checks
 * the time when it fires rather than trusting that it fired on time (a laptop lid may have closed).
 */
export function watchIdle({ target, onIdle, onKeepalive, idleMs = IDLE_LOCK_MS, keepaliveMs = KEEPALIVE_MS }: IdleWatcherOptions): () => void {
  let lastInput = Date.now();
  let lastKeepalive = lastInput;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let isDone = false;

  const check = () => {
    if (isDone) return;
    const idleFor = Date.now() - lastInput;
    if (idleFor >= idleMs) {
      isDone = true;
      stop();
      onIdle();
      return;
    }
    timer = setTimeout(check, idleMs - idleFor);
  };
  const onInput = () => {
    lastInput = Date.now();
    if (onKeepalive && lastInput - lastKeepalive >= keepaliveMs) {
      lastKeepalive = lastInput;
      onKeepalive();
    }
  };
  const stop = () => {
    if (timer !== undefined) clearTimeout(timer);
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, onInput, { capture: true });
  };

  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, onInput, { capture: true, passive: true });
  timer = setTimeout(check, idleMs);
  return () => {
    isDone = true;
    stop();
  };
}
