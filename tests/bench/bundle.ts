// `npm run bench -- --only=bundle` (issue 9 §5): what the login page costs to load. The gzip size of
// the JavaScript and CSS index.html loads at once (its entry script and modulepreload links; the
// workspaces are lazy chunks fetched later), the time from navigation to a usable login page (the
// e-mail field visible and focused) in Debian's Chromium, and from confirming the second factor to
// a clinician's start page (the patient search, focused). Figures only; the target is ≤ 200 KB of
// initial JS gzipped and a usable login page within 1 s.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { Authenticator } from '../e2e/support/authenticator';
import { BackendProcess } from '../e2e/support/backend-process';
import { ensureBuilt, launchChromium } from './journal-render';
import { log, round, summarise, table, type LatencySummary } from './support/stats';

const root = resolve(import.meta.dirname, '../..');
const renderer = join(root, 'out/renderer');
const CLINICIANS = ['lege@demo.journalkontor.no', 'psykolog@demo.journalkontor.no'];
export const INITIAL_JS_TARGET_KB = 200;
export const USABLE_LOGIN_TARGET_MS = 1000;

export interface BundleReport {
  initialJs: { files: { file: string; bytes: number; gzipBytes: number }[]; bytes: number; gzipKb: number; meetsTarget: boolean };
  initialCss: { bytes: number; gzipKb: number };
  lazyJs: { files: number; gzipKb: number };
  /** Mantine class names (m_xxxxxxxx) in the built JavaScript that no built stylesheet defines: a component whose CSS is not imported. */
  mantineClassesWithoutStyles: string[];
  usableLogin: { runs: number[]; summary: LatencySummary; meetsTarget: boolean; mainThread: LatencySummary };
  startPage: { runs: number[]; summary: LatencySummary };
}

/** The assets index.html loads before any page is shown: its module entry, the modulepreload links and the stylesheets. */
export function initialAssets(html: string): { scripts: string[]; styles: string[] } {
  const attribute = (tag: string, name: string) => new RegExp(`${name}="([^"]+)"`).exec(tag)?.[1];
  const tags = html.match(/<(script|link)\b[^>]*>/g) ?? [];
  const scripts = tags.filter((tag) => (tag.startsWith('<script') && /type="module"/.test(tag)) || /rel="modulepreload"/.test(tag)).map((tag) => attribute(tag, tag.startsWith('<script') ? 'src' : 'href'));
  const styles = tags.filter((tag) => /rel="stylesheet"/.test(tag)).map((tag) => attribute(tag, 'href'));
  const defined = (paths: (string | undefined)[]) => paths.filter((path): path is string => path !== undefined).map((path) => path.replace(/^\.?\//, ''));
  return { scripts: defined(scripts), styles: defined(styles) };
}

function sizes(file: string): { file: string; bytes: number; gzipBytes: number } {
  const content = readFileSync(join(renderer, file));
  // zlib's default level (6), as a web server or a gzip-aware size report would use.
  return { file, bytes: content.length, gzipBytes: gzipSync(content).length };
}

const kb = (bytes: number) => round(bytes / 1024, 1);

/** See BundleReport.mantineClassesWithoutStyles (src/renderer/src/mantine-styles.ts imports the styles one by one). */
function mantineClassesWithoutStyles(files: string[]): string[] {
  const text = (extension: string) => files.filter((file) => file.endsWith(extension)).map((file) => readFileSync(join(renderer, 'assets', file), 'utf8')).join('\n');
  const classes = (content: string) => new Set(content.match(/\bm_[0-9a-f]{8}\b/g));
  const styled = classes(text('.css'));
  return [...classes(text('.js'))].filter((name) => !styled.has(name));
}

async function newContext(browser: Browser) {
  const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo', viewport: { width: 1280, height: 900 } });
  // tsx (esbuild, keepNames) wraps named functions in __name(); the functions sent to the page need it too.
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  return context;
}

/**
 * Milliseconds from navigation start until the login form's e-mail field is visible and has focus,
 * in a fresh context (no cache); and of it, the page's main thread busy (Chromium's TaskDuration):
 * the part that does not shrink when the machine is idle.
 */
async function usableLogin(browser: Browser, url: string): Promise<{ ms: number; mainThreadMs: number }> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    await page.goto(url, { waitUntil: 'commit' });
    // Polled on every animation frame in the page, so the figure is the page's own clock, not this process's.
    const ms = await page.evaluate(
      () =>
        new Promise<number>((resolveReady) => {
          const check = () => {
            const field = document.activeElement;
            if (field instanceof HTMLInputElement && field.autocomplete === 'username' && field.offsetParent !== null) resolveReady(performance.now());
            else requestAnimationFrame(check);
          };
          check();
        }),
    );
    const { metrics } = await cdp.send('Performance.getMetrics');
    const taskSeconds = metrics.find((metric) => metric.name === 'TaskDuration')?.value ?? Number.NaN;
    return { ms, mainThreadMs: taskSeconds * 1000 };
  } finally {
    await context.close();
  }
}

/** Milliseconds from confirming the code until the landing page's patient search has focus (a clinician's start page). */
async function startPageMs(browser: Browser, backend: BackendProcess, authenticator: Authenticator, email: string): Promise<number> {
  const { password, totpSecret } = await backend.demoLogin(email);
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(backend.url);
    const login = page.getByTestId('login-page');
    await login.getByLabel('E-post').fill(email);
    await login.getByRole('textbox', { name: 'Passord', exact: true }).fill(password);
    await login.getByRole('button', { name: 'Logg inn' }).click();
    await login.getByLabel('Kode fra autentiseringsappen').fill(await authenticator.code(totpSecret));
    const confirm = login.getByRole('button', { name: 'Bekreft' });
    await confirm.waitFor();
    const clickedAt = await page.evaluate(() => performance.now());
    await confirm.click();
    const readyAt = await page.waitForFunction(() => (document.activeElement?.id === 'patient-search' ? performance.now() : false));
    return Number(await readyAt.jsonValue()) - clickedAt;
  } finally {
    await context.close();
  }
}

export async function benchBundle(options: { loginRuns: number }): Promise<BundleReport> {
  ensureBuilt();
  const html = readFileSync(join(renderer, 'index.html'), 'utf8');
  const { scripts, styles } = initialAssets(html);
  if (scripts.length === 0) throw new Error('out/renderer/index.html loads no module script');
  const initialFiles = scripts.map(sizes);
  const styleFiles = styles.map(sizes);
  const initialGzip = initialFiles.reduce((sum, file) => sum + file.gzipBytes, 0);
  const initialSet = new Set(scripts);
  const assets = readdirSync(join(renderer, 'assets'));
  const lazyFiles = assets.filter((name) => name.endsWith('.js') && !initialSet.has(`assets/${name}`));
  const lazyGzip = lazyFiles.reduce((sum, name) => sum + sizes(`assets/${name}`).gzipBytes, 0);

  const browser = await launchChromium();
  const backend = await BackendProcess.create();
  try {
    await backend.start();
    const authenticator = new Authenticator();
    // One load first, not counted: the backend's first answers (static files from disk) are slower.
    await usableLogin(browser, backend.url);
    const loginRuns: number[] = [];
    const mainThreadRuns: number[] = [];
    for (let run = 0; run < options.loginRuns; run++) {
      const { ms, mainThreadMs } = await usableLogin(browser, backend.url);
      loginRuns.push(round(ms, 1));
      mainThreadRuns.push(round(mainThreadMs, 1));
    }
    const startRuns: number[] = [];
    for (const email of CLINICIANS) startRuns.push(round(await startPageMs(browser, backend, authenticator, email), 1));
    const loginSummary = summarise(loginRuns);
    log(`[bundle] initial JS ${kb(initialGzip)} KB gzipped; usable login p50 ${loginSummary.p50Ms} ms`);
    return {
      initialJs: { files: initialFiles, bytes: initialFiles.reduce((sum, file) => sum + file.bytes, 0), gzipKb: kb(initialGzip), meetsTarget: initialGzip <= INITIAL_JS_TARGET_KB * 1024 },
      initialCss: { bytes: styleFiles.reduce((sum, file) => sum + file.bytes, 0), gzipKb: kb(styleFiles.reduce((sum, file) => sum + file.gzipBytes, 0)) },
      lazyJs: { files: lazyFiles.length, gzipKb: kb(lazyGzip) },
      mantineClassesWithoutStyles: mantineClassesWithoutStyles(assets),
      usableLogin: { runs: loginRuns, summary: loginSummary, meetsTarget: loginSummary.maxMs <= USABLE_LOGIN_TARGET_MS, mainThread: summarise(mainThreadRuns) },
      startPage: { runs: startRuns, summary: summarise(startRuns) },
    };
  } finally {
    await browser.close();
    await backend.dispose();
  }
}

export function bundleSummary(report: BundleReport): string {
  const { initialJs, initialCss, lazyJs, usableLogin, startPage, mantineClassesWithoutStyles: unstyled } = report;
  return [
    `\n6. Loading the app (out/renderer, built): what index.html loads at once (entry + modulepreload), gzip level 6; Debian's Chromium (headless, 1280×900), the real backend on PGlite, a fresh browser context per run.` +
      `\n   usable login = navigation start until the e-mail field is visible and focused; start page = "Bekreft" clicked until the clinician's patient search has focus.\n`,
    table(
      ['measure', 'value'],
      [
        ['initial JS, files / raw KB / gzip KB', `${initialJs.files.length} / ${kb(initialJs.bytes)} / ${initialJs.gzipKb} (target ≤ ${INITIAL_JS_TARGET_KB}: ${initialJs.meetsTarget ? 'met' : 'NOT met'})`],
        ['initial CSS, raw KB / gzip KB', `${kb(initialCss.bytes)} / ${initialCss.gzipKb}`],
        ['lazy JS chunks, files / gzip KB', `${lazyJs.files} / ${lazyJs.gzipKb}`],
        ['Mantine classes without styles', unstyled.length === 0 ? 'none' : `${unstyled.length} (${unstyled.join(' ')}): add their CSS to mantine-styles.ts`],
        ['usable login page, p50 / max ms', `${usableLogin.summary.p50Ms} / ${usableLogin.summary.maxMs} (target ≤ ${USABLE_LOGIN_TARGET_MS}: ${usableLogin.meetsTarget ? 'met' : 'NOT met'}; runs: ${usableLogin.runs.join(', ')})`],
        ['  of it the page main thread busy, p50 / max ms', `${usableLogin.mainThread.p50Ms} / ${usableLogin.mainThread.maxMs}`],
        ['start page after login, ms', startPage.runs.join(', ')],
      ],
    ),
  ].join('\n');
}
