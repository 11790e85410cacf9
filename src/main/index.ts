import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { APP_ORIGIN, DEFAULT_BACKEND_URL } from '../shared/app-constants';
import { handleAppProtocol, registerAppSchemeAsPrivileged } from './app-protocol';
import { chooseBackendUrl } from './backend-url';
import { registerIpcHandlers } from './ipc';
import { createKeytarSecretStore } from './keychain';
import { secureAppSession, securePermissions, secureWebContents } from './security';
import { APP_SESSION_PARTITION, createMainWindow } from './window';

/**
 * The Electron main process: app lifecycle only. Every decision lives in its own module
 * (trusted-url, security, window, app-protocol, ipc, keychain); this file wires them in order.
 */

// Built layout: out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const mainDir = dirname(fileURLToPath(import.meta.url));
const preloadPath = join(mainDir, '..', 'preload', 'index.cjs');
const rendererRoot = join(mainDir, '..', 'renderer');

// The scheme's privileges must be known before `ready`, or app:// pages get no origin.
registerAppSchemeAsPrivileged();
// Sandbox every renderer, whatever a future window's preferences say.
app.enableSandbox();

// JK_BUILD_BACKEND_URL is written in at build time (electron.vite.config.ts); DEFAULT_BACKEND_URL
// only applies when this file runs unbundled.
const backend = chooseBackendUrl(process.env.JK_BACKEND_URL, process.env.JK_BUILD_BACKEND_URL ?? DEFAULT_BACKEND_URL);

let mainWindow: BrowserWindow | null = null;

function refuseToStart(source: 'environment' | 'build'): void {
  // The rejected value is not shown: it may hold a password (https://user:pw@host).
  const setting = source === 'environment' ? 'JK_BACKEND_URL' : 'the build-time backend URL';
  const message =
    `Ugyldig serveradresse (${setting}): bruk https://, eller http:// bare mot 127.0.0.1, ::1 eller localhost, ` +
    'uten brukernavn eller passord.\n\n' +
    `Invalid backend address (${setting}): use https://, or http:// only to 127.0.0.1, ::1 or localhost, ` +
    'without a username or password.';
  console.error(message);
  void app.whenReady().then(() => {
    dialog.showErrorBox('Journalkontor', message);
    app.exit(1);
  });
}

function start(backendUrl: string): void {
  // A second launch focuses the running window instead of opening another one with its own
  // keychain reads and session (and a second idle timer the user cannot see).
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Registered before any web contents exists, so no window, devtools or popup escapes it.
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents));

  // Quit on every platform when the window closes (also on macOS): an app left running without a
  // window would keep a signed-in session alive out of sight.
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    const appSession = session.fromPartition(APP_SESSION_PARTITION);
    securePermissions(session.defaultSession);
    secureAppSession(appSession, backendUrl);
    handleAppProtocol({ rendererRoot, backendUrl, session: appSession });
    registerIpcHandlers({
      getMainWindow: () => mainWindow,
      secretStore: createKeytarSecretStore(),
      backendUrl,
    });
    mainWindow = createMainWindow({
      preloadPath,
      // Developer tools in development only; a packaged app never opens them.
      isDevToolsAllowed: !app.isPackaged,
      url: `${APP_ORIGIN}/index.html`,
    });
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else if (!backend.isValid) {
  refuseToStart(backend.source);
} else {
  start(backend.url);
}
