import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from 'electron';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  contentTypeFor,
  handleAppProtocol,
  registerAppSchemeAsPrivileged,
  replaceMetaContentSecurityPolicy,
  resolveAppFile,
} from '../../../src/main/app-protocol';
import { buildContentSecurityPolicy } from '../../../src/shared/content-security-policy';

// DESK-1: the renderer's files are served by the main process, never anything outside them.

const registerSchemesAsPrivileged = vi.hoisted(() => vi.fn());
vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged } }));

const root = '/opt/journalkontor/out/renderer';

describe('resolveAppFile', () => {
  it.each([
    ['app://journalkontor/', `${root}/index.html`],
    ['app://journalkontor', `${root}/index.html`],
    ['app://journalkontor/index.html', `${root}/index.html`],
    ['app://journalkontor/index.html?x=1#top', `${root}/index.html`],
    ['app://journalkontor/assets/index-abc.js', `${root}/assets/index-abc.js`],
    ['app://journalkontor/assets/', `${root}/assets/index.html`],
    ['app://journalkontor/fonts/Inter%20Var.woff2', `${root}/fonts/Inter Var.woff2`],
    ['app://journalkontor/%C3%A6%C3%B8%C3%A5.svg', `${root}/æøå.svg`],
    // The parser removes dot segments before we see the path, so these stay inside.
    ['app://journalkontor/assets/../index.html', `${root}/index.html`],
    ['app://journalkontor/../../../etc/passwd', `${root}/etc/passwd`],
    ['app://journalkontor/%2e%2e/%2E%2E/etc/passwd', `${root}/etc/passwd`],
  ])('%j → %j', (url, expected) => {
    expect(resolveAppFile(root, url)).toBe(expected);
  });

  it.each([
    // encoded separators and dot segments that only appear after decoding
    'app://journalkontor/..%2f..%2fetc/passwd',
    'app://journalkontor/..%2F..%2Fetc%2Fpasswd',
    'app://journalkontor/assets%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://journalkontor/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://journalkontor/..%5c..%5cwindows%5cwin.ini',
    'app://journalkontor/..\\..\\etc\\passwd',
    'app://journalkontor/assets\\..\\..\\secret',
    'app://journalkontor/%2e%2e%2f/etc/passwd',
    // a NUL byte, a drive letter or a malformed escape
    'app://journalkontor/index.html%00.png',
    'app://journalkontor/C:%5cWindows%5cwin.ini',
    'app://journalkontor/c:/windows/win.ini',
    'app://journalkontor/%E0%A4%A',
    'app://journalkontor/%',
    // empty segments (//) could make absolute paths on some joins
    'app://journalkontor//etc/passwd',
    'app://journalkontor/assets//index.js',
    // wrong scheme, host, port or userinfo
    'app://journalkontor.evil/index.html',
    'app://evil/index.html',
    'app://journalkontor:8080/index.html',
    'app://user@journalkontor/index.html',
    'app://JOURNALKONTOR/index.html',
    'app:journalkontor/index.html',
    'app:///index.html',
    'https://journalkontor/index.html',
    'file:///opt/journalkontor/out/renderer/index.html',
    'javascript:alert(1)',
    '',
    'garbage',
    ' app://journalkontor/index.html',
    'app://journalkontor/index.html\n',
  ])('refuses %j', (url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it('keeps a double-encoded dot segment as a literal name inside the root', () => {
    expect(resolveAppFile(root, 'app://journalkontor/%252e%252e/etc')).toBe(`${root}/%2e%2e/etc`);
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a/B.JS', 'text/javascript; charset=utf-8'],
    ['x.css', 'text/css; charset=utf-8'],
    ['x.woff2', 'font/woff2'],
    ['x.svg', 'image/svg+xml'],
    ['x.exe', 'application/octet-stream'],
    ['noextension', 'application/octet-stream'],
  ])('%s → %s', (file, type) => {
    expect(contentTypeFor(file)).toBe(type);
  });
});

describe('replaceMetaContentSecurityPolicy', () => {
  const built = `<!doctype html><html><head><meta charset="UTF-8" />
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self' http://127.0.0.1:4010" />
    <title>x</title></head></html>`;

  it("replaces the build-time policy with the run-time one (quotes in the policy stay intact)", () => {
    const policy = buildContentSecurityPolicy({ connectSources: ['https://journal.example.no'] });
    const html = replaceMetaContentSecurityPolicy(built, policy);
    expect(html).toContain(`content="${policy.replaceAll('"', '&quot;')}"`);
    expect(html).not.toContain('127.0.0.1:4010');
    expect(html).toContain('<title>x</title>');
  });

  it('leaves a page without a CSP meta tag as it was', () => {
    const html = '<html><head><meta name="referrer" content="no-referrer"></head></html>';
    expect(replaceMetaContentSecurityPolicy(html, "default-src 'none'")).toBe(html);
  });

  it('cannot be used to break out of the attribute', () => {
    const html = replaceMetaContentSecurityPolicy(built, `x" /><script>alert(1)</script><meta x="`);
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/content="x" \/>/);
  });
});

describe('registerAppSchemeAsPrivileged', () => {
  it('registers app:// as standard and secure, fetchable, without CORS', () => {
    registerAppSchemeAsPrivileged();
    expect(registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });
});

describe('handleAppProtocol', () => {
  let rendererRoot: string;
  let handler: (request: Request) => Promise<Response>;
  const backendUrl = 'https://journal.example.no';
  const policy = buildContentSecurityPolicy({ connectSources: [backendUrl] });

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'jk-app-protocol-'));
    rendererRoot = join(folder, 'renderer');
    await mkdir(join(rendererRoot, 'assets'), { recursive: true });
    await writeFile(
      join(rendererRoot, 'index.html'),
      `<html><head><meta http-equiv="Content-Security-Policy" content="connect-src 'self' http://127.0.0.1:4010"></head></html>`,
    );
    await writeFile(join(rendererRoot, 'assets', 'index.js'), 'console.log(1);');
    await writeFile(join(folder, 'secret.txt'), 'outside the root');
    const session = {
      protocol: {
        handle: (scheme: string, registered: typeof handler) => {
          expect(scheme).toBe('app');
          handler = registered;
        },
      },
    } as unknown as Session;
    handleAppProtocol({ rendererRoot, backendUrl, session });
  });

  afterAll(async () => {
    await rm(join(rendererRoot, '..'), { recursive: true, force: true });
  });

  const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

  it('serves index.html with the run-time CSP in header and meta tag, and nosniff', async () => {
    const response = await get('app://journalkontor/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(policy);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = await response.text();
    expect(body).toContain('https://journal.example.no');
    expect(body).not.toContain('127.0.0.1:4010');
  });

  it('serves scripts with a JavaScript type (module scripts need it under nosniff)', async () => {
    const response = await get('app://journalkontor/assets/index.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(policy);
    expect(await response.text()).toBe('console.log(1);');
  });

  it.each([
    'app://journalkontor/..%2fsecret.txt',
    'app://journalkontor/missing.js',
    'app://journalkontor/assets/', // a folder without index.html
    'app://journalkontor.evil/index.html',
  ])('answers %j with a bare 404', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('Not found');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await get('app://journalkontor/index.html', 'POST')).status).toBe(405);
    const head = await get('app://journalkontor/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
