import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');

/** The step-up window the end-to-end backend runs with. */
export const E2E_STEP_UP_WINDOW_SECONDS = 20;

/** One demo user as the backend prints it at start (PLAT-5). */
export interface DemoLogin {
  email: string;
  totpSecret: string;
  roles: string[];
}

/** `Demo logins (password for all: …)` and `  email  TOTP secret ABC…  (admin, dpo)` lines. */
export function parseDemoLogins(output: string): { password: string; logins: DemoLogin[] } | undefined {
  const header = /Demo logins \(password for all: (\S+)\)/.exec(output);
  if (!header?.[1]) return undefined;
  const logins = [...output.matchAll(/^\s+(\S+@\S+)\s+TOTP secret ([A-Z2-7]+)\s+\(([^)]*)\)\s*$/gm)].map((match) => ({
    email: match[1] ?? '',
    totpSecret: match[2] ?? '',
    roles: (match[3] ?? '').split(',').map((role) => role.trim()),
  }));
  return { password: header[1], logins };
}

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
  /** What the current run printed on stdout (also passed through to this process's stdout). */
  private output = '';
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
      // AUTH-5's 5-minute step-up window, shortened (the setting can only shorten it) so the
      // step-up test need not wait five real minutes.
      JK_STEP_UP_WINDOW_SECONDS: String(E2E_STEP_UP_WINDOW_SECONDS),
      // DPO-2: the flags job every 5 s (5 minutes in use), so a flag shows within the test.
      JK_DPO_FLAGS_EVERY_SECONDS: '5',
    };
    // The browser tests always use the embedded database, like `npm start`.
    delete env.DATABASE_URL;
    // Its owner's URL is refused without DATABASE_URL (docs/adr/0006).
    delete env.DATABASE_OWNER_URL;
    this.child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'src/server/main.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.output = '';
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => {
      this.output += chunk;
      process.stdout.write(chunk);
    });
    // Migrations and the demo seed on a fresh PGlite take a few seconds alone, over half a minute on
    // a machine shared with other test runs.
    const deadline = Date.now() + 90_000;
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
    throw new Error('backend did not become healthy within 90 s');
  }

  /** The demo logins the backend printed at start; waits a little for the lines to arrive. */
  async demoLogins(): Promise<{ password: string; logins: DemoLogin[] }> {
    const deadline = Date.now() + 10_000;
    let previous = '';
    for (;;) {
      const parsed = parseDemoLogins(this.output);
      // The block arrives in one write, but a pipe may split it: take it once it stops growing.
      const current = JSON.stringify(parsed ?? null);
      if (parsed && parsed.logins.length > 0 && current === previous) return parsed;
      if (Date.now() > deadline) throw new Error('the backend printed no demo logins');
      previous = current;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }

  /** The demo login of one user (by e-mail), with the shared password. */
  async demoLogin(email: string): Promise<DemoLogin & { password: string }> {
    const { password, logins } = await this.demoLogins();
    const login = logins.find((candidate) => candidate.email === email);
    if (!login) throw new Error(`no demo login for ${email}`);
    return { ...login, password };
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
