import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// The main entry (src/main/index.ts) wires the modules in the right order: scheme before ready,
// one instance, security on every web contents, a bad backend URL stops the app (DESK-1, DESK-5).

const state = vi.hoisted(() => {
  const calls: string[] = [];
  const appListeners = new Map<string, (...args: unknown[]) => void>();
  const fakeSession = (name: string) => ({
    name,
    protocol: { handle: (scheme: string) => calls.push(`${name}.protocol.handle(${scheme})`) },
    setPermissionRequestHandler: () => calls.push(`${name}.setPermissionRequestHandler`),
    setPermissionCheckHandler: () => calls.push(`${name}.setPermissionCheckHandler`),
    setDevicePermissionHandler: () => calls.push(`${name}.setDevicePermissionHandler`),
    webRequest: { onBeforeRequest: () => calls.push(`${name}.webRequest.onBeforeRequest`) },
  });
  return {
    calls,
    appListeners,
    fakeSession,
    hasLock: true,
    windows: [] as { options: { webPreferences: Record<string, unknown> }; url: string }[],
    errorBoxes: [] as string[],
    ipcChannels: [] as string[],
  };
});

vi.mock('electron', () => {
  class BrowserWindow {
    options: { webPreferences: Record<string, unknown> };
    url = '';
    webContents = {};
    constructor(options: { webPreferences: Record<string, unknown> }) {
      this.options = options;
      state.calls.push('new BrowserWindow');
      state.windows.push(this);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
  }
  const defaultSession = state.fakeSession('defaultSession');
  const partitions = new Map<string, ReturnType<typeof state.fakeSession>>();
  return {
    BrowserWindow,
    app: {
      isPackaged: true,
      on: (event: string, listener: (...args: unknown[]) => void) => {
        state.calls.push(`app.on(${event})`);
        state.appListeners.set(event, listener);
      },
      whenReady: () => {
        state.calls.push('app.whenReady');
        return Promise.resolve();
      },
      enableSandbox: () => state.calls.push('app.enableSandbox'),
      requestSingleInstanceLock: () => state.hasLock,
      quit: () => state.calls.push('app.quit'),
      exit: (code: number) => state.calls.push(`app.exit(${code})`),
      getVersion: () => '0.1.0',
      getLocale: () => 'nb-NO',
      getPath: () => '/tmp',
    },
    protocol: { registerSchemesAsPrivileged: () => state.calls.push('protocol.registerSchemesAsPrivileged') },
    session: {
      defaultSession,
      fromPartition: (partition: string) => {
        if (!partitions.has(partition)) partitions.set(partition, state.fakeSession(`partition:${partition}`));
        return partitions.get(partition);
      },
    },
    ipcMain: { handle: (channel: string) => state.ipcChannels.push(channel) },
    dialog: { showErrorBox: (_title: string, message: string) => state.errorBoxes.push(message) },
    shell: { openExternal: vi.fn() },
  };
});

async function startMain(): Promise<void> {
  vi.resetModules();
  await import('../../../src/main/index');
  // let the whenReady().then(...) callbacks run
  await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('main process lifecycle', () => {
  beforeEach(() => {
    state.calls.length = 0;
    state.appListeners.clear();
    state.windows.length = 0;
    state.errorBoxes.length = 0;
    state.ipcChannels.length = 0;
    state.hasLock = true;
    vi.stubEnv('JK_BACKEND_URL', '');
    vi.stubEnv('JK_BUILD_BACKEND_URL', 'http://127.0.0.1:4010');
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('registers the scheme and sandbox before ready, then secures the session before the window opens', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    await startMain();
    const at = (call: string) => {
      const index = state.calls.indexOf(call);
      expect(index, call).toBeGreaterThanOrEqual(0);
      return index;
    };
    expect(at('protocol.registerSchemesAsPrivileged')).toBeLessThan(at('app.whenReady'));
    expect(at('app.enableSandbox')).toBeLessThan(at('app.whenReady'));
    expect(at('app.on(web-contents-created)')).toBeLessThan(at('new BrowserWindow'));
    expect(at('partition:journalkontor.webRequest.onBeforeRequest')).toBeLessThan(at('new BrowserWindow'));
    expect(at('partition:journalkontor.setPermissionRequestHandler')).toBeLessThan(at('new BrowserWindow'));
    expect(at('defaultSession.setPermissionRequestHandler')).toBeLessThan(at('new BrowserWindow'));
    expect(at('partition:journalkontor.protocol.handle(app)')).toBeLessThan(at('new BrowserWindow'));
    expect(state.calls).not.toContain('app.quit');
  });

  it('opens one window on app://journalkontor/index.html, sandboxed, devTools off when packaged', async () => {
    await startMain();
    expect(state.windows).toHaveLength(1);
    const [window] = state.windows;
    expect(window?.url).toBe('app://journalkontor/index.html');
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, devTools: false });
    expect(String(window?.options.webPreferences.preload)).toMatch(/[/\\]preload[/\\]index\.cjs$/);
    expect(state.ipcChannels.length).toBeGreaterThan(0);
  });

  it('a second instance quits at once', async () => {
    state.hasLock = false;
    await startMain();
    expect(state.calls).toContain('app.quit');
    expect(state.windows).toHaveLength(0);
    expect(state.appListeners.has('web-contents-created')).toBe(false);
  });

  it.each(['http://journal.example.no', 'https://admin:hunter2@journal.example.no', 'file:///etc/passwd'])(
    'JK_BACKEND_URL=%j stops the app with a message that does not repeat the value',
    async (url) => {
      vi.stubEnv('JK_BACKEND_URL', url);
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
      await startMain();
      expect(state.windows).toHaveLength(0);
      expect(state.calls).toContain('app.exit(1)');
      expect(state.errorBoxes).toHaveLength(1);
      expect(state.errorBoxes[0]).toContain('JK_BACKEND_URL');
      expect(state.errorBoxes[0]).not.toContain(url);
      expect(state.errorBoxes[0]).not.toContain('hunter2');
      consoleError.mockRestore();
    },
  );

  it('accepts an https JK_BACKEND_URL', async () => {
    vi.stubEnv('JK_BACKEND_URL', 'https://journal.example.no');
    await startMain();
    expect(state.windows).toHaveLength(1);
    expect(state.errorBoxes).toHaveLength(0);
  });
});
