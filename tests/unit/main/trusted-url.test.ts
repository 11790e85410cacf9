import { describe, expect, it } from 'vitest';
import {
  isAllowedBackendUrl,
  isAllowedExternalUrl,
  isAllowedRequestUrl,
  isAppUrl,
  parseStrictUrl,
} from '../../../src/main/trusted-url';

// DESK-1 / DESK-5: the URL decisions, fed the strings that fool prefix and regex checks.

const garbage: unknown[] = [
  '',
  ' ',
  'not a url',
  '://',
  'https://',
  'http://',
  '//evil.com',
  '/index.html',
  'index.html',
  undefined,
  null,
  42,
  {},
  ['https://example.com'],
  'x'.repeat(9000),
];

describe('parseStrictUrl', () => {
  it.each([
    ' https://example.com',
    'https://example.com ',
    'java\nscript:alert(1)',
    'https://exa\tmple.com',
    'https://example.com\r\n',
    'https://example.com/\u0000',
    'https://example.com/\u007f',
  ])('refuses %j, which the WHATWG parser would silently repair', (url) => {
    expect(parseStrictUrl(url)).toBeNull();
  });

  it('parses an ordinary URL', () => {
    expect(parseStrictUrl('https://example.com/a?b#c')?.host).toBe('example.com');
  });
});

describe('isAllowedBackendUrl (DESK-5)', () => {
  it.each([
    'https://journal.example.no',
    'https://journal.example.no/',
    'https://journal.example.no:8443/trpc',
    'HTTPS://JOURNAL.EXAMPLE.NO',
    'https://192.168.1.20',
    'https://xn--bcher-kva.example',
    'https://bücher.example',
    'http://127.0.0.1:4010',
    'http://127.0.0.1',
    'http://localhost:4010',
    'http://LOCALHOST:4010',
    'http://[::1]:4010',
    'http://127.1:4010', // the parser normalises it to 127.0.0.1
    'http://0x7f.0.0.1:4010', // likewise
    'http://127.0.0.1\\@evil.com', // host is 127.0.0.1; the rest is the path
  ])('allows %j', (url) => {
    expect(isAllowedBackendUrl(url)).toBe(true);
  });

  it.each([
    ...garbage,
    'http://example.com',
    'http://journal.example.no:4010',
    'http://127.0.0.1.evil.com',
    'http://127.0.0.1.nip.io',
    'http://localhost.evil.com',
    'http://localhost.',
    'http://evil.com#@127.0.0.1',
    'http://evil.com?@127.0.0.1',
    'http://127.0.0.2:4010', // loopback range, but not one of the three names we allow
    'http://0.0.0.0:4010',
    'http://[::ffff:127.0.0.1]:4010',
    'http://192.168.1.20',
    'https://app@evil.com',
    'https://user:password@journal.example.no',
    'https://:password@journal.example.no',
    'http://user@127.0.0.1:4010',
    'http://127.0.0.1@evil.com',
    'http://evil.com\\@127.0.0.1', // host is evil.com: the backslash ends the authority
    'ws://127.0.0.1:4010',
    'wss://journal.example.no',
    'ftp://journal.example.no',
    'file:///etc/passwd',
    'file://127.0.0.1/etc/passwd',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'blob:https://journal.example.no/1234',
    'app://journalkontor/index.html',
    'httpx://127.0.0.1',
  ])('refuses %j', (url) => {
    expect(isAllowedBackendUrl(url)).toBe(false);
  });

  it('treats backslashes as the parser does: https:/\\evil.com is https to evil.com (allowed as https)', () => {
    expect(new URL('https:/\\evil.com').host).toBe('evil.com');
    expect(isAllowedBackendUrl('https:/\\evil.com')).toBe(true);
    // …but the same trick cannot turn http to a foreign host into loopback.
    expect(isAllowedBackendUrl('http:/\\evil.com\\127.0.0.1')).toBe(false);
  });
});

describe('isAppUrl (DESK-1)', () => {
  it.each([
    'app://journalkontor/index.html',
    'app://journalkontor/',
    'app://journalkontor',
    'APP://journalkontor/index.html',
    'app://journalkontor/assets/index-abc.js?v=1#top',
  ])('allows %j', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    ...garbage,
    'app://journalkontor.evil/index.html',
    'app://journalkontor.evil.com/',
    'app://evil.journalkontor/',
    'app://journalkontor@evil/index.html',
    'app://evil@journalkontor/index.html',
    'app://user:pass@journalkontor/',
    'app://journalkontor:443/index.html',
    'app://journalkontor:80/',
    'app://journalkontor./',
    'app:journalkontor/index.html',
    'app:///journalkontor/index.html',
    'app://JOURNALKONTOR/index.html', // Chromium hands us lower case; anything else is refused
    'app://jоurnalkontor/', // Cyrillic о
    'app://xn--jurnalkontor-xyz/',
    'app://',
    'apps://journalkontor/',
    'https://journalkontor/',
    'http://journalkontor/index.html',
    'file:///journalkontor/index.html',
    'javascript://journalkontor/%0Aalert(1)',
    'data:text/html,app://journalkontor/',
    'blob:app://journalkontor/1234',
    'https://evil.com/app://journalkontor/',
    'https://evil.com/?next=app://journalkontor/',
  ])('refuses %j', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://www.helsenorge.no/',
    'https://example.com/path?q=1#x',
    'HTTPS://EXAMPLE.COM',
    'https://example.com:8443/',
  ])('allows %j', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ...garbage,
    'http://example.com',
    'http://127.0.0.1:4010',
    'https://app@evil.com',
    'https://user:pass@example.com',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'java\tscript:alert(1)',
    ' javascript:alert(1)',
    'file:///etc/passwd',
    'file://server/share/evil.exe',
    'smb://server/share',
    'data:text/html,<h1>x</h1>',
    'blob:https://example.com/1',
    'mailto:dpo@example.com',
    'tel:+4712345678',
    'ms-msdt:/id PCWDiagnostic',
    'vscode://file/etc/passwd',
    'app://journalkontor/index.html',
    'about:blank',
    'chrome://settings',
    'https:',
  ])('refuses %j', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('isAllowedRequestUrl (DESK-5 request filter)', () => {
  const backend = 'http://127.0.0.1:4010';

  it.each([
    'app://journalkontor/index.html',
    'app://journalkontor/assets/index.js',
    'http://127.0.0.1:4010/trpc/auth.login?batch=1',
    'ws://127.0.0.1:4010/trpc',
    'data:image/png;base64,AAAA',
    'blob:app://journalkontor/6f1c1b9e-0000-4000-8000-000000000000',
  ])('allows %j', (url) => {
    expect(isAllowedRequestUrl(url, backend)).toBe(true);
  });

  it.each([
    ...garbage,
    'http://127.0.0.1:4011/',
    'http://127.0.0.1/',
    'http://localhost:4010/', // same machine, different origin: the CSP would refuse it too
    'https://127.0.0.1:4010/',
    'wss://127.0.0.1:4010/',
    'http://user@127.0.0.1:4010/',
    'http://127.0.0.1:4010.evil.com/',
    'https://evil.com/',
    'https://fonts.googleapis.com/css',
    'blob:https://evil.com/1234',
    'file:///etc/passwd',
    'app://journalkontor.evil/',
  ])('refuses %j', (url) => {
    expect(isAllowedRequestUrl(url, backend)).toBe(false);
  });

  it('matches an https backend by origin, default port included', () => {
    expect(isAllowedRequestUrl('https://journal.example.no/trpc', 'https://journal.example.no')).toBe(true);
    expect(isAllowedRequestUrl('https://journal.example.no:443/trpc', 'https://journal.example.no')).toBe(true);
    expect(isAllowedRequestUrl('wss://journal.example.no/trpc', 'https://journal.example.no')).toBe(true);
    expect(isAllowedRequestUrl('http://journal.example.no/trpc', 'https://journal.example.no')).toBe(false);
    expect(isAllowedRequestUrl('https://journal.example.no.evil.com/', 'https://journal.example.no')).toBe(false);
  });

  it('refuses everything but app files when the backend itself is not allowed', () => {
    expect(isAllowedRequestUrl('http://example.com/', 'http://example.com')).toBe(false);
    expect(isAllowedRequestUrl('app://journalkontor/index.html', 'http://example.com')).toBe(true);
  });
});
