/** How often the views refetch while the live channel is not connected (VIS-3's fallback). */
export const FALLBACK_REFETCH_MS = 10_000;

/**
 * VIS-3: the board follows every change of the organisation's bookings. Until the live channel's
 * subscription is wired in, and whenever it is down, the views refetch every 10 s instead.
 */
export function useVisitsLive(onChange: () => void): { isLive: boolean } {
  void onChange;
  return { isLive: false };
}
