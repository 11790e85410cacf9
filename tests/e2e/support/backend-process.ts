import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The real backend as its own process (`src/server/main.ts`), on a fresh PGlite data folder of its
 * own, serving the built renderer: the same thing `npm start` runs. It can be stopped and started
 * again on the same port and data, to test what the app shows while the backend is away.
 */
export class BackendProcess {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  static async create(): Promise<BackendProcess> {
    const dataDir = await mkdtemp(join(tmpdir(), 'jk-e2e-'));
    return new BackendProcess(await freePort(), dataDir);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      JK_PORT: String(this.port),
      JK_DEMO: '1',
      JK_DATA_DIR: join(this.dataDir, 'pglite'),
      JK_SERVE_RENDERER: resolve(root, 'out/renderer'),
      JK_ALLOWED_ORIGINS: this.url,
      JK_LOG_LEVEL: 'warn',
    };
    // The browser tests always use the embedded database, like `npm start`.
    delete env.DATABASE_URL;
    this.child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'src/server/main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`backend exited with ${this.child.exitCode}`);
      try {
        const response = await fetch(`${this.url}/health`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
    throw new Error('backend did not become healthy within 30 s');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolveExit) => {
      child.once('exit', () => resolveExit());
      child.kill('SIGTERM');
    });
    this.child = undefined;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
