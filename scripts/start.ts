// `npm start`: the whole product on one machine. Builds the app, starts the backend on an embedded
// PostgreSQL (PGlite) in .data/ with the demo organisation, then opens the desktop app — or, where
// Electron cannot run, serves the same app to a browser and prints its address.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, loadConfig } from '../src/server/config';
import { InstallationModeError } from '../src/server/db/installation';
import { formatDemoLogins } from '../src/server/demo/print';
import { startServer } from '../src/server/start';
import { DEFAULT_BACKEND_PORT } from '../src/shared/app-constants';

const root = resolve(import.meta.dirname, '..');
const startedAt = performance.now();

/**
 * The Electron binary's path, or why it cannot be used here. Read from electron's own path.txt
 * rather than by requiring the package: requiring it tries to download the binary when missing,
 * which on a machine without internet prints a stack trace instead of one clear line.
 */
function findElectron(): { path: string } | { reason: string } {
  let electronDir: string;
  try {
    electronDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed' };
  }
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'the Electron binary is not installed (its download is not possible here)' };
  const path = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(path)) return { reason: 'the Electron binary is not installed (its download is not possible here)' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (DISPLAY is not set)' };
  }
  return { path };
}

async function main() {
  process.stdout.write('Building the app …\n');
  const build = spawnSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0) throw new Error('The build failed (see above).');

  const port = Number(process.env.JK_PORT ?? DEFAULT_BACKEND_PORT);
  const config = loadConfig({
    JK_DEMO: '1',
    JK_LOG_LEVEL: 'warn',
    JK_SERVE_RENDERER: resolve(root, 'out/renderer'),
    JK_ALLOWED_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`,
    ...process.env,
  });
  const server = await startServer(config);
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);

  process.stdout.write(
    [
      '',
      `Journalkontor backend: ${server.url} (${server.database.kind}${config.database.kind === 'pglite' ? `, data in ${config.database.dataDir}` : ''}), ready in ${seconds} s`,
      `Demo organisation: Demoklinikken AS${server.demo?.created ? ' (just created)' : ''}.`,
      server.demo ? formatDemoLogins(server.demo, server.url) : '',
      '',
    ].join('\n'),
  );

  const electron = findElectron();
  if ('path' in electron) {
    process.stdout.write('Opening the desktop app …\n');
    const child = spawn(electron.path, [root], { stdio: 'inherit', env: { ...process.env, JK_BACKEND_URL: server.url } });
    child.on('exit', () => void server.stop().then(() => process.exit(0)));
  } else {
    process.stdout.write(`The desktop app cannot start here: ${electron.reason}. Open the same app in a browser instead:\n\n    ${server.url}/\n\n`);
    process.stdout.write('Press Ctrl+C to stop.\n');
  }

  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof InstallationModeError) process.stderr.write(`${error.message}\n`);
  else process.stderr.write(`Could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
