import { useTRPC } from '../../lib/trpc';
import { type LiveStatus, useLiveInvalidate } from '../../lib/use-live';

/** How often the views refetch while the live channel is not connected (VIS-3's fallback). */
export const FALLBACK_REFETCH_MS = 10_000;

/**
 * VIS-3, PLAT-10: the board and the doctor's list follow every change of the organisation's
 * bookings through the live channel (it invalidates the dispatch queries and the start page, which
 * refetch through their audited reads). While the channel is down the caller polls every 10 s.
 */
export function useVisitsLive(): { status: LiveStatus; isLive: boolean } {
  const trpc = useTRPC();
  const status = useLiveInvalidate('visits', [trpc.visits.pathKey(), trpc.start.today.queryKey()]);
  return { status, isLive: status === 'live' };
}
