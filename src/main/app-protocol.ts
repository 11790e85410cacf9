import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { protocol, type Session } from 'electron';
import { APP_HOST, APP_SCHEME } from '../shared/app-constants';
import { buildContentSecurityPolicy } from '../shared/content-security-policy';
import { parseStrictUrl } from './trusted-url';

/**
 * The renderer is served from `app://journalkontor/` instead of file://: a real origin (CORS can
 * name it, the CSP's 'self' means only our files), and the main process decides per request which
 * file may be read, so a page can never read arbitrary files from disk.
 */

/**
 * Must run before the app's `ready` event. `standard` gives the scheme normal URL parsing and a
 * real origin; `secure` makes it a secure context (like https); `supportFetchAPI` lets the renderer
 * fetch its own assets. `corsEnabled` stays off: nothing cross-origin may read our files.
 */
export function registerAppSchemeAsPrivileged(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const INDEX_FILE = 'index.html';

/**
 * Map a request URL to a file under `rootDir`, or null when the URL is not ours or the path could
 * leave the root. Pure apart from path arithmetic: it never touches the disk.
 *
 * The parser already removes `.`/`..` segments (also written `%2e%2e`), but a segment may still
 * decode to something that means a path on disk (`..%2f..`, `%5c`, a NUL byte), so every segment
 * is decoded on its own and refused if it holds a separator, a NUL, or is a dot segment; and the
 * final path is checked to lie under the root as a last fence.
 */
export function resolveAppFile(rootDir: string, requestUrl: string): string | null {
  const url = parseStrictUrl(requestUrl);
  if (!url || url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  if (url.username !== '' || url.password !== '') return null;
  // Chromium hands us `app://journalkontor/`; Node's parser leaves the path of a bare origin empty.
  const pathname = url.pathname === '' ? '/' : url.pathname;
  if (!pathname.startsWith('/')) return null;

  const segments: string[] = [];
  for (const rawSegment of pathname.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(rawSegment);
    } catch {
      return null; // malformed percent-encoding
    }
    if (segment === '.' || segment === '..') return null;
    if (/[/\\\0:]/.test(segment)) return null;
    segments.push(segment);
  }
  // An empty segment is only allowed last (a trailing slash means the folder's index.html).
  if (segments.slice(0, -1).some((segment) => segment === '')) return null;
  if (segments.at(-1) === '') segments[segments.length - 1] = INDEX_FILE;

  const root = resolve(rootDir);
  const file = resolve(root, ...segments);
  const fromRoot = relative(root, file);
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${sep}`) || isAbsolute(fromRoot)) {
    return null;
  }
  return file;
}

/** Content types we serve; with `nosniff`, a module script must come with a JavaScript type. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The page's <meta> CSP was written at build time with the build-time backend. Both it and the
 * header are enforced, so when JK_BACKEND_URL picks another backend at run time the meta policy
 * must say the same as the header, or the renderer could not reach its backend. Only the content
 * of a CSP meta tag is replaced; if none matches, the page keeps its stricter policy (fails closed).
 */
export function replaceMetaContentSecurityPolicy(html: string, policy: string): string {
  const escaped = policy.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  return html.replace(
    /(<meta\s+http-equiv=["']?Content-Security-Policy["']?\s+content=)(?:"[^"]*"|'[^']*')/gi,
    (_match, start: string) => `${start}"${escaped}"`,
  );
}

export interface AppProtocolOptions {
  /** The folder holding the built renderer (out/renderer). */
  rendererRoot: string;
  /** The backend the CSP lets the renderer connect to. */
  backendUrl: string;
  /** The session the window uses (the handler is per session). */
  session: Session;
}

/** Serve the renderer's files on `app://journalkontor/`, with the CSP and nosniff on every response. */
export function handleAppProtocol({ rendererRoot, backendUrl, session }: AppProtocolOptions): void {
  const policy = buildContentSecurityPolicy({ connectSources: [backendUrl] });
  const securityHeaders = {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    // The renderer's files are in the app bundle; nothing from here belongs in an HTTP cache.
    'Cache-Control': 'no-store',
  };

  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: securityHeaders });
    }
    const file = resolveAppFile(rendererRoot, request.url);
    if (!file) return new Response('Not found', { status: 404, headers: securityHeaders });
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // Missing files and folders alike: a 404 that names nothing about the disk.
      return new Response('Not found', { status: 404, headers: securityHeaders });
    }
    const contentType = contentTypeFor(file);
    const payload = contentType.startsWith('text/html')
      ? replaceMetaContentSecurityPolicy(body.toString('utf8'), policy)
      : new Uint8Array(body);
    return new Response(request.method === 'HEAD' ? null : payload, {
      status: 200,
      headers: { ...securityHeaders, 'Content-Type': contentType },
    });
  });
}
