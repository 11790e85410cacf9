import { BrowserWindow, type WebPreferences } from 'electron';

/**
 * The session partition of the app's window. No `persist:` prefix, so Chromium keeps it in memory
 * only: no HTTP cache, cookies, localStorage or IndexedDB on disk, so no patient data the renderer
 * receives can be left behind in a profile folder (DESK-2). What must survive a restart (device id,
 * remembered username) lives in the OS keychain instead.
 */
export const APP_SESSION_PARTITION = 'journalkontor';

/**
 * The renderer's security settings, in one frozen place (DESK-1). Electron's defaults already match
 * most of them; they are spelled out so a reader (and the unit test) sees each decision, and so a
 * future default change in Electron cannot loosen them silently.
 */
export const SECURE_WEB_PREFERENCES = Object.freeze({
  // The renderer runs in Chromium's OS-level sandbox; the preload is a CommonJS bundle for that.
  sandbox: true,
  // The preload's world is separate from the page's; the page only sees `window.desk`.
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  // Chromium's spellchecker can send typed words to a cloud service; clinical text must not go.
  spellcheck: false,
  // WebSQL is gone from the web platform; keep the old engine unreachable.
  enableWebSQL: false,
  // A page looping alert() gets a "stop dialogs" checkbox instead of locking the app.
  safeDialogs: true,
  partition: APP_SESSION_PARTITION,
} as const satisfies WebPreferences);

export interface MainWindowOptions {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Developer tools only for development builds, never in a packaged app. */
  isDevToolsAllowed: boolean;
  /** The first page to load: an app:// URL. */
  url: string;
}

export function mainWindowWebPreferences({
  preloadPath,
  isDevToolsAllowed,
}: Pick<MainWindowOptions, 'preloadPath' | 'isDevToolsAllowed'>): Readonly<WebPreferences> {
  return Object.freeze({ ...SECURE_WEB_PREFERENCES, preload: preloadPath, devTools: isDevToolsAllowed });
}

/** The one place a window is made, so every window gets the same preferences. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 600,
    title: 'Journalkontor',
    // Shown once the first paint is ready, so the user never sees a blank white frame.
    show: false,
    webPreferences: mainWindowWebPreferences(options),
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(options.url).catch((error: unknown) => {
    // The window stays up (blank) so the user sees something is wrong; the cause goes to the log.
    console.error('Journalkontor: could not load the app page', error);
  });
  return window;
}
