/**
 * The device identity sent as X-Device-Id (AUTH-6). The desktop app keeps it in the OS keychain
 * (DESK-2). The browser fallback has no keychain and writes nothing to disk, so it uses a random id
 * that lives as long as the page: every browser session counts as a new device, which is the
 * honest answer.
 */
let pending: Promise<string> | undefined;

function pageLifetimeId(): string {
  return crypto.randomUUID();
}

export function deviceId(): Promise<string> {
  pending ??= (async () => {
    if (!window.desk) return pageLifetimeId();
    try {
      return await window.desk.getDeviceId();
    } catch {
      // DESK_KEYCHAIN_UNAVAILABLE and the like: log in as an unknown device rather than not at all.
      return pageLifetimeId();
    }
  })();
  return pending;
}
