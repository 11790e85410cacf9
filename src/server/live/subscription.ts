import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import type { Role } from '../../shared/roles';
import { resolveSession } from '../auth/session';
import type { Database } from '../db/database';
import { DomainError } from '../errors';
import type { LiveHub } from './hub';
import type { LiveTopic } from './publish';

/** What a live subscription yields: the changed ids; none means "anything may have changed: refetch". */
export interface LiveEvent {
  ids: string[];
}

/** Past this many pending ids one event says "refetch" instead of listing them all. */
const MAX_IDS_PER_EVENT = 500;

/**
 * Throws unless the session that opened the subscription is still active, unlocked and holds one
 * of the roles: a live board must not outlive a logout, an idle lock (AUTH-5) or a revoked role.
 * It reads the session without touching it, so an open board never keeps its session awake.
 */
export async function assertSessionStillAdmitted(
  db: Database,
  session: { token: string; sessionId: string },
  roles: readonly Role[],
  now: Date,
): Promise<void> {
  const lookup = await resolveSession(db, session.token, now);
  if (lookup.status === 'locked') throw new DomainError('unauthorized', API_ERROR_MESSAGES.sessionLocked);
  if (lookup.status === 'expired') throw new DomainError('unauthorized', API_ERROR_MESSAGES.sessionExpired);
  if (lookup.status !== 'active' || lookup.session.sessionId !== session.sessionId) throw new DomainError('unauthorized', API_ERROR_MESSAGES.sessionRequired);
  if (!roles.some((role) => lookup.session.roles.includes(role))) throw new DomainError('forbidden', API_ERROR_MESSAGES.forbidden);
}

function delay(ms: number, signal: AbortSignal | undefined, wake?: (resume: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
    wake?.(done);
  });
}

/**
 * The changes of one organisation's topic as they arrive at this instance's hub, coalesced over
 * the hub's window, with the session checked again before each event and on the hub's interval.
 * Ends (by throwing the check's error) when the session ends, and quietly when the client goes.
 */
export async function* liveChanges(options: {
  hub: LiveHub;
  organisationId: string;
  topic: LiveTopic;
  signal: AbortSignal | undefined;
  checkSession: () => Promise<void>;
}): AsyncGenerator<LiveEvent, void, unknown> {
  const { hub } = options;
  const signal = options.signal ? AbortSignal.any([options.signal, hub.endSignal]) : hub.endSignal;
  const { coalesceMs, sessionCheckMs } = hub.options;
  const pending = new Set<string>();
  let hasChange = false;
  let isRefetchAll = false;
  let wake: (() => void) | undefined;
  const unsubscribe = hub.subscribe(options.organisationId, options.topic, (ids) => {
    if (ids.length === 0) isRefetchAll = true;
    for (const id of ids) pending.add(id);
    if (pending.size > MAX_IDS_PER_EVENT) isRefetchAll = true;
    hasChange = true;
    wake?.();
  });
  try {
    let checkedAt = Date.now();
    while (!signal?.aborted) {
      if (!hasChange) {
        await delay(checkedAt + sessionCheckMs - Date.now(), signal, (resume) => {
          wake = resume;
        });
        wake = undefined;
      }
      if (signal?.aborted) return;
      if (hasChange) {
        // Let the rest of a burst (a bulk assignment, a retention batch) arrive: one refetch for it.
        await delay(coalesceMs, signal);
        if (signal?.aborted) return;
      }
      if (hasChange || Date.now() - checkedAt >= sessionCheckMs) {
        await options.checkSession();
        checkedAt = Date.now();
      }
      if (!hasChange) continue;
      const ids = isRefetchAll ? [] : [...pending];
      pending.clear();
      hasChange = false;
      isRefetchAll = false;
      yield { ids };
    }
  } finally {
    unsubscribe();
  }
}
