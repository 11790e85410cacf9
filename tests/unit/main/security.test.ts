import type { Session, WebContents } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ALLOWED_PERMISSIONS,
  isPermissionAllowed,
  secureAppSession,
  securePermissions,
  secureWebContents,
} from '../../../src/main/security';

// DESK-1: navigation, new windows, webviews and permissions; DESK-5: the request filter.

const shellOpenExternal = vi.hoisted(() => vi.fn<(url: string) => Promise<void>>());
vi.mock('electron', () => ({ shell: { openExternal: shellOpenExternal } }));

type Listener = (...args: unknown[]) => void;

function fakeWebContents() {
  const listeners = new Map<string, Listener>();
  let windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  const contents = {
    on(event: string, listener: Listener) {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler(handler: typeof windowOpenHandler) {
      windowOpenHandler = handler;
    },
  };
  return {
    contents: contents as unknown as WebContents,
    /** Emit a navigation-like event; true when the handler prevented it. */
    emitNavigation(event: string, url: string): boolean {
      const preventDefault = vi.fn();
      const listener = listeners.get(event);
      if (!listener) throw new Error(`no ${event} listener`);
      listener({ url, preventDefault });
      return preventDefault.mock.calls.length > 0;
    },
    emit(event: string, ...args: unknown[]) {
      listeners.get(event)?.(...args);
    },
    openWindow(url: string) {
      if (!windowOpenHandler) throw new Error('no window open handler');
      return windowOpenHandler({ url });
    },
  };
}

const hostileUrls = [
  'https://evil.com/',
  'http://127.0.0.1:4010/',
  'https://app@evil.com/',
  'app://journalkontor.evil/index.html',
  'app://journalkontor@evil/index.html',
  'app://journalkontor:1/index.html',
  'file:///etc/passwd',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'about:blank',
  'chrome://gpu',
  '',
];

describe('secureWebContents: navigation', () => {
  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])('%s lets app pages through', (event) => {
    const fake = fakeWebContents();
    secureWebContents(fake.contents, vi.fn());
    expect(fake.emitNavigation(event, 'app://journalkontor/index.html')).toBe(false);
    expect(fake.emitNavigation(event, 'app://journalkontor/other.html#x')).toBe(false);
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'].flatMap((event) => hostileUrls.map((url) => [event, url])))(
    '%s to %j is prevented',
    (event, url) => {
      const fake = fakeWebContents();
      secureWebContents(fake.contents, vi.fn());
      expect(fake.emitNavigation(event, url)).toBe(true);
    },
  );

  it('prevents every <webview> from attaching', () => {
    const fake = fakeWebContents();
    secureWebContents(fake.contents, vi.fn());
    const preventDefault = vi.fn();
    fake.emit('will-attach-webview', { preventDefault }, {}, { src: 'app://journalkontor/index.html' });
    expect(preventDefault).toHaveBeenCalledOnce();
  });
});

describe('secureWebContents: new windows', () => {
  beforeEach(() => {
    shellOpenExternal.mockReset().mockResolvedValue();
  });

  it('denies every window; an https link goes to the OS browser instead', () => {
    const fake = fakeWebContents();
    const openExternal = vi.fn<(url: string) => Promise<void>>().mockResolvedValue();
    secureWebContents(fake.contents, openExternal);
    expect(fake.openWindow('https://www.helsenorge.no/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://www.helsenorge.no/');
  });

  it.each([
    ...hostileUrls.filter((url) => url !== 'https://evil.com/'),
    'app://journalkontor/index.html',
    'http://example.com/',
    'smb://server/share',
    'mailto:x@example.com',
  ])('denies %j and does not open it anywhere', (url) => {
    const fake = fakeWebContents();
    const openExternal = vi.fn<(url: string) => Promise<void>>().mockResolvedValue();
    secureWebContents(fake.contents, openExternal);
    expect(fake.openWindow(url)).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it("uses Electron's shell.openExternal by default and survives its failure", async () => {
    shellOpenExternal.mockRejectedValue(new Error('no browser'));
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fake = fakeWebContents();
    secureWebContents(fake.contents);
    expect(fake.openWindow('https://example.com/')).toEqual({ action: 'deny' });
    expect(shellOpenExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/');
    await vi.waitFor(() => expect(consoleError).toHaveBeenCalled());
    consoleError.mockRestore();
  });
});

describe('isPermissionAllowed', () => {
  const appPage = 'app://journalkontor/index.html';

  it('allows only the justified list', () => {
    expect([...ALLOWED_PERMISSIONS].sort()).toEqual(
      ['clipboard-sanitized-write', 'local-network', 'local-network-access', 'loopback-network'].sort(),
    );
  });

  it.each([...ALLOWED_PERMISSIONS])('allows %s to the app main frame', (permission) => {
    expect(isPermissionAllowed({ permission, requestingUrl: appPage, isMainFrame: true })).toBe(true);
    expect(isPermissionAllowed({ permission, requestingUrl: 'app://journalkontor', isMainFrame: true })).toBe(true);
  });

  it.each([
    'clipboard-read',
    'deprecated-sync-clipboard-read',
    'media',
    'display-capture',
    'geolocation',
    'notifications',
    'openExternal',
    'fullscreen',
    'pointerLock',
    'hid',
    'serial',
    'usb',
    'midiSysex',
    'fileSystem',
    'persistent-storage',
    'storage-access',
    'window-management',
    'idle-detection',
    'unknown',
    '',
  ])('denies %j even to the app', (permission) => {
    expect(isPermissionAllowed({ permission, requestingUrl: appPage, isMainFrame: true })).toBe(false);
  });

  it.each([
    { requestingUrl: 'https://evil.com/', isMainFrame: true },
    { requestingUrl: 'app://journalkontor.evil/', isMainFrame: true },
    { requestingUrl: 'file:///index.html', isMainFrame: true },
    { requestingUrl: undefined, isMainFrame: true },
    { requestingUrl: '', isMainFrame: true },
    { requestingUrl: appPage, isMainFrame: false },
  ])('denies even allowed permissions to %j', (question) => {
    expect(isPermissionAllowed({ permission: 'clipboard-sanitized-write', ...question })).toBe(false);
  });
});

function fakeSession() {
  const handlers: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: object) => void;
    check?: (contents: unknown, permission: string, origin: string, details: object) => boolean;
    device?: (details: object) => boolean;
    beforeRequest?: (details: { url: string }, callback: (response: { cancel?: boolean }) => void) => void;
  } = {};
  const session = {
    setPermissionRequestHandler: (handler: typeof handlers.request) => (handlers.request = handler),
    setPermissionCheckHandler: (handler: typeof handlers.check) => (handlers.check = handler),
    setDevicePermissionHandler: (handler: typeof handlers.device) => (handlers.device = handler),
    webRequest: { onBeforeRequest: (handler: typeof handlers.beforeRequest) => (handlers.beforeRequest = handler) },
  };
  return { session: session as unknown as Session, handlers };
}

describe('securePermissions: the session handlers', () => {
  it('answers requests through isPermissionAllowed', () => {
    const { session, handlers } = fakeSession();
    securePermissions(session);
    const ask = (permission: string, requestingUrl: string, isMainFrame = true) => {
      const callback = vi.fn();
      handlers.request?.({}, permission, callback, { requestingUrl, isMainFrame });
      expect(callback).toHaveBeenCalledOnce();
      return callback.mock.calls[0]?.[0] as boolean;
    };
    expect(ask('clipboard-sanitized-write', 'app://journalkontor/index.html')).toBe(true);
    expect(ask('loopback-network', 'app://journalkontor/index.html')).toBe(true);
    expect(ask('clipboard-read', 'app://journalkontor/index.html')).toBe(false);
    expect(ask('media', 'app://journalkontor/index.html')).toBe(false);
    expect(ask('clipboard-sanitized-write', 'https://evil.com/')).toBe(false);
    expect(ask('clipboard-sanitized-write', 'app://journalkontor/index.html', false)).toBe(false);
  });

  it('answers checks by origin, and refuses when the frame URL says otherwise', () => {
    const { session, handlers } = fakeSession();
    securePermissions(session);
    const check = (permission: string, origin: string, details: object) =>
      handlers.check?.(null, permission, origin, { isMainFrame: true, ...details });
    expect(check('clipboard-sanitized-write', 'app://journalkontor', {})).toBe(true);
    expect(check('clipboard-sanitized-write', 'app://journalkontor', { requestingUrl: 'app://journalkontor/x' })).toBe(true);
    expect(check('clipboard-sanitized-write', 'app://journalkontor', { requestingUrl: 'https://evil.com/' })).toBe(false);
    expect(check('clipboard-sanitized-write', 'https://evil.com', {})).toBe(false);
    expect(check('geolocation', 'app://journalkontor', {})).toBe(false);
    expect(check('local-network-access', 'app://journalkontor', { isMainFrame: false })).toBe(false);
  });

  it('refuses every HID, serial and USB device', () => {
    const { session, handlers } = fakeSession();
    securePermissions(session);
    expect(handlers.device?.({ deviceType: 'usb', origin: 'app://journalkontor' })).toBe(false);
  });
});

describe('secureAppSession: the request filter (DESK-5)', () => {
  it('cancels requests to anything but the app and its backend', () => {
    const { session, handlers } = fakeSession();
    secureAppSession(session, 'http://127.0.0.1:4010');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const decide = (url: string) => {
      const callback = vi.fn();
      handlers.beforeRequest?.({ url }, callback);
      return callback.mock.calls[0]?.[0] as { cancel: boolean };
    };
    expect(decide('app://journalkontor/assets/index.js')).toEqual({ cancel: false });
    expect(decide('http://127.0.0.1:4010/trpc/auth.me')).toEqual({ cancel: false });
    expect(decide('https://evil.com/exfiltrate?data=1')).toEqual({ cancel: true });
    expect(decide('http://127.0.0.1:5432/')).toEqual({ cancel: true });
    expect(warn).toHaveBeenCalledTimes(2);
    warn.mockRestore();
    // …and it installs the permission handlers too.
    expect(handlers.request).toBeTypeOf('function');
    expect(handlers.check).toBeTypeOf('function');
  });
});
