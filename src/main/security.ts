import { shell, type Session, type WebContents } from 'electron';
import { isAllowedExternalUrl, isAllowedRequestUrl, isAppUrl } from './trusted-url';

/**
 * Handlers that keep every web contents on the app's own pages (DESK-1) and the session's
 * permissions and network to what the app needs (DESK-5). The decisions are the pure functions of
 * trusted-url.ts and `isPermissionAllowed` below; this file only wires them to Electron.
 */

/**
 * The permissions the app's own main frame may have; every other permission, and every permission
 * asked for by anything else, is denied (Electron's default is to grant everything).
 *
 * - `clipboard-sanitized-write`: copy buttons (recovery codes and the TOTP secret at enrolment,
 *   AUTH-3). Writing plain text cannot read anything; reading the clipboard stays denied, since it
 *   could hold whatever the user copied from another program.
 * - `local-network-access`, `local-network`, `loopback-network`: Chromium's Local Network Access
 *   asks these before a page may reach a loopback or private address, i.e. the development/demo
 *   backend on 127.0.0.1 or a clinic's backend on its own LAN. Granting them widens nothing: which
 *   hosts the renderer may reach is decided by the CSP's connect-src and `isAllowedRequestUrl`,
 *   both of which name only the configured backend.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'clipboard-sanitized-write',
  'local-network-access',
  'local-network',
  'loopback-network',
]);

export interface PermissionQuestion {
  permission: string;
  /** The URL or origin of the frame asking; undefined when Electron does not say. */
  requestingUrl: string | undefined;
  isMainFrame: boolean;
}

export function isPermissionAllowed({ permission, requestingUrl, isMainFrame }: PermissionQuestion): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isMainFrame && isAppUrl(requestingUrl);
}

export interface NavigationEvent {
  url: string;
  preventDefault(): void;
}

/** Navigations and redirects may only go to the app's own pages; anything else is stopped. */
export function blockUnlessAppUrl(event: NavigationEvent): void {
  if (!isAppUrl(event.url)) event.preventDefault();
}

export type OpenExternal = (url: string) => Promise<void>;

/**
 * The app never opens a second window. A link meant for the outside world (an https page) goes to
 * the user's own browser instead; anything else is dropped.
 */
export function handleWindowOpen(url: string, openExternal: OpenExternal): { action: 'deny' } {
  if (isAllowedExternalUrl(url)) {
    openExternal(url).catch((error: unknown) => {
      console.error('Journalkontor: could not open an external link', error);
    });
  }
  return { action: 'deny' };
}

/** Wire the navigation and window handlers on one web contents; called for every one created. */
export function secureWebContents(
  contents: WebContents,
  openExternal: OpenExternal = (url) => shell.openExternal(url),
): void {
  contents.on('will-navigate', blockUnlessAppUrl);
  // Subframes too (the CSP forbids frames, this is the second fence).
  contents.on('will-frame-navigate', blockUnlessAppUrl);
  // A server redirect during an allowed navigation must not carry the window somewhere else.
  contents.on('will-redirect', blockUnlessAppUrl);
  // webviewTag is off in the preferences; refusing here also covers any contents made without them.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, openExternal));
}

/** Deny-by-default permission handlers (request and check both, as Electron asks) on a session. */
export function securePermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      isPermissionAllowed({ permission, requestingUrl: details.requestingUrl, isMainFrame: details.isMainFrame }),
    );
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const isFromApp = details.requestingUrl === undefined || isAppUrl(details.requestingUrl);
    return (
      isFromApp &&
      isPermissionAllowed({ permission, requestingUrl: requestingOrigin, isMainFrame: details.isMainFrame })
    );
  });
  // WebHID, Web Serial and WebUSB devices: never.
  session.setDevicePermissionHandler(() => false);
}

/**
 * The app window's session: permissions as above, and every request checked in the main process
 * before it leaves the machine, so even a renderer whose CSP was bypassed reaches only the app's
 * files and the configured backend (DESK-5).
 */
export function secureAppSession(session: Session, backendUrl: string): void {
  securePermissions(session);
  session.webRequest.onBeforeRequest((details, callback) => {
    const isAllowed = isAllowedRequestUrl(details.url, backendUrl);
    if (!isAllowed) console.warn('Journalkontor: blocked a request to a foreign origin');
    callback({ cancel: !isAllowed });
  });
}
