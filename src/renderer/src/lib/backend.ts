/**
 * Where the backend is. In the desktop app the main process says (it validated the URL: https, or
 * http on loopback only, DESK-5); in the browser fallback the backend served this page, so it is
 * this page's own origin.
 */
export async function resolveBackendUrl(): Promise<string> {
  if (window.desk) {
    const info = await window.desk.getAppInfo();
    return info.backendUrl;
  }
  return window.location.origin;
}

export function isDesktopApp(): boolean {
  return window.desk !== undefined;
}
