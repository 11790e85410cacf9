import { APP_HOST, APP_SCHEME } from '../shared/app-constants';

/**
 * The security decisions about URLs, as pure functions: parse with the WHATWG parser, then compare
 * protocol, host and port exactly. Never prefix or regex matching on the raw string:
 * `https://app@evil.com` and `http://127.0.0.1.evil.com` are exactly the strings that fool those.
 */

const LOOPBACK_HOSTNAMES: ReadonlySet<string> = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Parse a URL, refusing strings the WHATWG parser would silently "repair": it strips leading and
 * trailing spaces and control characters and drops tabs and newlines anywhere, so `java\nscript:`
 * would become `javascript:`. Such strings never come from a well-behaved caller.
 */
export function parseStrictUrl(url: unknown): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function hasUserinfo(url: URL): boolean {
  return url.username !== '' || url.password !== '';
}

/** True for 127.0.0.1, ::1 and localhost, after the parser's normalisation (`http://127.1` is 127.0.0.1). */
export function isLoopbackHostname(hostname: string): boolean {
  return LOOPBACK_HOSTNAMES.has(hostname);
}

/**
 * May the app talk to this backend (DESK-5)? HTTPS to any host, plain HTTP only to loopback (the
 * development and demo backend), and never with a username or password in the URL.
 */
export function isAllowedBackendUrl(url: unknown): boolean {
  const parsed = parseStrictUrl(url);
  if (!parsed || hasUserinfo(parsed) || parsed.hostname === '') return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHostname(parsed.hostname);
}

/** Is this a page of the app itself: exactly `app://journalkontor/…`, no userinfo, no port? */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseStrictUrl(url);
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    !hasUserinfo(parsed)
  );
}

/**
 * May this link leave the app for the operating system's browser? Only https, without userinfo.
 * Everything else (file:, smb:, custom handlers, javascript:, http:) can run code or leak
 * credentials outside our sandbox, so it is refused.
 */
export function isAllowedExternalUrl(url: unknown): boolean {
  const parsed = parseStrictUrl(url);
  return parsed !== null && parsed.protocol === 'https:' && parsed.hostname !== '' && !hasUserinfo(parsed);
}

/**
 * May the renderer's session make this request (DESK-5, a second fence behind the CSP)? The app's
 * own files, the backend's origin (and its WebSocket twin), inline data: and the app's own blob:
 * URLs. Anything else is cancelled in the main process before it leaves the machine.
 */
export function isAllowedRequestUrl(url: unknown, backendUrl: string): boolean {
  if (isAppUrl(url)) return true;
  const parsed = parseStrictUrl(url);
  const backend = parseStrictUrl(backendUrl);
  if (!parsed || !backend || !isAllowedBackendUrl(backendUrl)) return false;
  if (parsed.protocol === 'data:') return true;
  // blob:app://journalkontor/<uuid>: the origin of a blob URL is the document that made it.
  if (parsed.protocol === 'blob:') return isAppUrl(parsed.pathname);
  if (hasUserinfo(parsed)) return false;
  const webSocketTwin: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:' };
  const protocol = webSocketTwin[parsed.protocol] ?? parsed.protocol;
  return protocol === backend.protocol && parsed.host === backend.host;
}
