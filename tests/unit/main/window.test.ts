import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  APP_SESSION_PARTITION,
  SECURE_WEB_PREFERENCES,
  createMainWindow,
  mainWindowWebPreferences,
} from '../../../src/main/window';

// DESK-1: the one window factory passes exactly these preferences to BrowserWindow.

const constructed = vi.hoisted(() => ({ options: [] as unknown[], loaded: [] as string[] }));

vi.mock('electron', () => {
  class BrowserWindow {
    readonly listeners = new Map<string, () => void>();
    constructor(options: unknown) {
      constructed.options.push(options);
    }
    once(event: string, listener: () => void): this {
      this.listeners.set(event, listener);
      return this;
    }
    show = vi.fn();
    loadURL(url: string): Promise<void> {
      constructed.loaded.push(url);
      return Promise.resolve();
    }
  }
  return { BrowserWindow };
});


const preloadPath = '/opt/journalkontor/out/preload/index.cjs';

const EXPECTED_SECURE_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  spellcheck: false,
  enableWebSQL: false,
  safeDialogs: true,
  partition: 'journalkontor',
};

describe('SECURE_WEB_PREFERENCES', () => {
  it('holds exactly the secure settings', () => {
    expect(SECURE_WEB_PREFERENCES).toStrictEqual(EXPECTED_SECURE_PREFERENCES);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(SECURE_WEB_PREFERENCES)).toBe(true);
    expect(() => {
      (SECURE_WEB_PREFERENCES as { sandbox: boolean }).sandbox = false;
    }).toThrow(TypeError);
  });

  it('uses an in-memory session (no "persist:" prefix), so nothing the renderer caches reaches the disk (DESK-2)', () => {
    expect(APP_SESSION_PARTITION.startsWith('persist:')).toBe(false);
  });
});

describe('createMainWindow', () => {
  beforeEach(() => {
    constructed.options.length = 0;
    constructed.loaded.length = 0;
  });

  it('passes the exact webPreferences, devTools off, for a packaged app', () => {
    createMainWindow({ preloadPath, isDevToolsAllowed: false, url: 'app://journalkontor/index.html' });
    expect(constructed.options).toHaveLength(1);
    const options = constructed.options[0] as { webPreferences: unknown; show: boolean };
    expect(options.webPreferences).toStrictEqual({
      ...EXPECTED_SECURE_PREFERENCES,
      preload: preloadPath,
      devTools: false,
    });
    expect(Object.isFrozen(options.webPreferences)).toBe(true);
    expect(options.show).toBe(false);
    expect(constructed.loaded).toEqual(['app://journalkontor/index.html']);
  });

  it('allows devTools only when asked (development)', () => {
    createMainWindow({ preloadPath, isDevToolsAllowed: true, url: 'app://journalkontor/index.html' });
    const options = constructed.options[0] as { webPreferences: { devTools: boolean; sandbox: boolean } };
    expect(options.webPreferences.devTools).toBe(true);
    expect(options.webPreferences.sandbox).toBe(true);
  });

  it('cannot be talked out of the secure settings by its options', () => {
    const preferences = mainWindowWebPreferences({ preloadPath, isDevToolsAllowed: false });
    expect(preferences).toMatchObject(EXPECTED_SECURE_PREFERENCES);
    expect(Object.keys(preferences).sort()).toEqual(
      [...Object.keys(EXPECTED_SECURE_PREFERENCES), 'preload', 'devTools'].sort(),
    );
  });

  it('shows the window once it is ready to show', () => {
    const window = createMainWindow({ preloadPath, isDevToolsAllowed: false, url: 'app://journalkontor/index.html' }) as unknown as {
      listeners: Map<string, () => void>;
      show: ReturnType<typeof vi.fn>;
    };
    expect(window.show).not.toHaveBeenCalled();
    window.listeners.get('ready-to-show')?.();
    expect(window.show).toHaveBeenCalledOnce();
  });
});
