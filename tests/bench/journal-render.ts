// `npm run bench -- --only=render`: a journal of 5,000 signed notes in Chromium (issue 4): time to the
// first painted note card, each "Vis flere" page, and a scroll through all of them (frame times).
// Figures only. The real backend (demo mode, PGlite) serves the built renderer, as in the e2e tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { openDatabase } from '../../src/server/db/database';
import { signedContentHash } from '../../src/server/journal/content-hash';
import { Authenticator } from '../e2e/support/authenticator';
import { BackendProcess } from '../e2e/support/backend-process';
import { log, round, summarise, table, type LatencySummary } from './support/stats';

const root = resolve(import.meta.dirname, '../..');
const LARS = 'lege@demo.journalkontor.no';
const CARD = '[data-testid="note-card"]';
// The same flags as playwright.config.ts (Chromium must not call home on this closed network).
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface JournalRenderReport {
  notes: number;
  notesShown: number;
  insertSeconds: number;
  chromium: string;
  initialLoad: { firstPaintMs: number | null; firstContentfulPaintMs: number | null; largestContentfulPaintMs: number | null };
  firstCard: { runs: number[]; summary: LatencySummary };
  paging: { pages: number; perPage: LatencySummary; totalSeconds: number; firstTenMeanMs: number; lastTenMeanMs: number };
  scroll: { idleBaseline: { frames: number; meanFps: number; frameMs: LatencySummary }; seconds: number; distancePx: number; frames: number; meanFps: number; frameMs: LatencySummary; longFrames: number; longFrameThresholdMs: number };
  dom: { nodes: number; noteCards: number; jsHeapUsedMb: number | null; jsHeapTotalMb: number | null; layoutCount: number | null; recalcStyleCount: number | null };
}

function newestMtime(dir: string): number {
  let newest = 0;
  const walk = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) walk(join(path, entry));
    } else newest = Math.max(newest, stat.mtimeMs);
  };
  walk(dir);
  return newest;
}

/** Builds the renderer when out/renderer is missing or older than its sources. */
function ensureBuilt(): void {
  const index = join(root, 'out/renderer/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(root, 'src/renderer'))) return;
  log('[render] building the app (electron-vite build) …');
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
}

/** With the backend stopped: 5,000 signed notes for Kari Nordmann by Lars, as the demo seed writes them. */
async function insertNotes(dataDir: string, count: number): Promise<string> {
  const handle = await openDatabase({ kind: 'pglite', dataDir });
  try {
    const db = handle.db;
    const kari = await db.selectFrom('patient').select(['id', 'organisation_id']).where('given_name', '=', 'Kari').where('family_name', '=', 'Nordmann').executeTakeFirstOrThrow();
    const lars = await db.selectFrom('app_user').select('id').where('email', '=', LARS).executeTakeFirstOrThrow();
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    const types = ['consultation', 'phone', 'consultation', 'home_visit'];
    const phrases = ['Kontroll av blodtrykk, stabilt.', 'Samtale om søvn og arbeid.', 'Hoste i en uke, ingen feber. Lungestetoskopi normal.', 'Fornyet resept. Ingen bivirkninger.', 'Plan: ny time om fire uker.'];
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < count; start += 500) {
        const rows = Array.from({ length: Math.min(500, count - start) }, (_, offset) => {
          const index = start + offset;
          // Spread over ~14 years, several a day at most; times differ so the order is total.
          const at = new Date(now - 5 * day - index * 0.1 * day - index * 1000);
          const noteType = types[index % types.length] as string;
          const body = `Notat ${count - index}. ${Array.from({ length: 2 + (index % 5) }, (_, k) => phrases[(index + k) % phrases.length]).join(' ')}`;
          return { at, noteType, body, consultationDate: at.toISOString().slice(0, 10) };
        });
        const notes = await trx
          .insertInto('journal_note')
          .values(rows.map((row) => ({ organisation_id: kari.organisation_id, patient_id: kari.id, author_id: lars.id, note_type: row.noteType, consultation_date: row.consultationDate, status: 'signed', created_at: row.at, updated_at: row.at })))
          .returning('id')
          .execute();
        await trx
          .insertInto('journal_note_version')
          .values(
            rows.map((row, offset) => {
              const noteId = (notes[offset] as { id: string }).id;
              const contentHash = signedContentHash({ noteId, patientId: kari.id, version: 1, noteType: row.noteType, consultationDate: row.consultationDate, body: row.body, amendmentReason: null, signedBy: lars.id, signedAt: row.at, signedAuthMethod: 'password+totp' });
              return { organisation_id: kari.organisation_id, note_id: noteId, version: 1, body: row.body, amendment_reason: null, created_by: lars.id, created_at: row.at, updated_at: row.at, signed_by: lars.id, signed_at: row.at, signed_auth_method: 'password+totp', content_hash: contentHash };
            }),
          )
          .execute();
      }
    });
    return kari.id;
  } finally {
    await handle.close();
  }
}

async function cdpMetrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((metric) => [metric.name, metric.value]));
}

/** rAF intervals over `seconds` with the page idle: the frame rate this headless Chromium gives at best. */
async function idleFrames(page: Page, seconds: number): Promise<number[]> {
  return page.evaluate(
    (duration) =>
      new Promise<number[]>((resolveIdle) => {
        const intervals: number[] = [];
        let first: number | null = null;
        let last: number | null = null;
        const frame = (now: number) => {
          if (last !== null) intervals.push(now - last);
          last = now;
          first ??= now;
          if (now - first < duration * 1000) requestAnimationFrame(frame);
          else resolveIdle(intervals);
        };
        requestAnimationFrame(frame);
      }),
    seconds,
  );
}

export async function benchJournalRender(options: { notes: number; firstCardRuns: number; scrollSeconds: number }): Promise<JournalRenderReport> {
  ensureBuilt();
  const backend = await BackendProcess.create();
  const authenticator = new Authenticator();
  const browser = await chromium.launch({ executablePath: process.env.JK_CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    // First start: migrations and the demo seed; then, stopped, the notes straight into its data folder.
    await backend.start();
    await backend.demoLogins();
    await backend.stop();
    const dataDir = join((backend as unknown as { dataDir: string }).dataDir, 'pglite');
    const insertStarted = performance.now();
    const patientId = await insertNotes(dataDir, options.notes);
    const insertSeconds = round((performance.now() - insertStarted) / 1000, 1);
    log(`[render] ${options.notes} notes inserted in ${insertSeconds} s`);
    await backend.start();
    const { password, totpSecret } = await backend.demoLogin(LARS);

    const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    // tsx (esbuild, keepNames) wraps named functions in __name(); the functions sent to the page need it too.
    await page.addInitScript('globalThis.__name = (fn) => fn;');
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number | null };
      w.__lcp = null;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__lcp = entry.startTime;
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await page.goto(`${backend.url}/#/journal`);
    const login = page.getByTestId('login-page');
    await login.getByLabel('E-post').fill(LARS);
    await login.getByRole('textbox', { name: 'Passord', exact: true }).fill(password);
    await login.getByRole('button', { name: 'Logg inn' }).click();
    await login.getByLabel('Kode fra autentiseringsappen').fill(await authenticator.code(totpSecret));
    await login.getByRole('button', { name: 'Bekreft' }).click();
    await page.getByTestId('user-menu').waitFor();
    // The browser's own paint entries cover the initial load only (the login page; LCP stops at the first input).
    const paints = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('paint').map((entry) => [entry.name, entry.startTime])));
    const lcp = await page.evaluate(() => (window as unknown as { __lcp: number | null }).__lcp);

    // (1) From the hash change to the first note card painted (the next animation frame after it is in the DOM).
    const firstCardRuns: number[] = [];
    for (let run = 0; run < options.firstCardRuns; run++) {
      await page.evaluate(() => {
        window.location.hash = '#/journal';
      });
      await page.waitForFunction((selector) => !document.querySelector(selector), CARD);
      await page.waitForTimeout(300);
      const ms = await page.evaluate(
        ({ target, selector }) =>
          new Promise<number>((resolveRun) => {
            const started = performance.now();
            const check = () => {
              if (document.querySelector(selector)) requestAnimationFrame(() => resolveRun(performance.now() - started));
              else requestAnimationFrame(check);
            };
            window.location.hash = target;
            requestAnimationFrame(check);
          }),
        { target: `#/journal/${patientId}`, selector: CARD },
      );
      firstCardRuns.push(round(ms, 1));
    }
    log(`[render] first card: ${firstCardRuns.join(', ')} ms`);

    // (2) All pages through "Vis flere": click, and time until the new cards are painted.
    const pageTimes: number[] = [];
    const pagingStarted = performance.now();
    for (;;) {
      const ms = await page.evaluate(
        (selector) =>
          new Promise<number | null>((resolvePage, rejectPage) => {
            const button = [...document.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === 'Vis flere');
            if (!button) return resolvePage(null);
            const before = document.querySelectorAll(selector).length;
            const started = performance.now();
            const check = () => {
              if (performance.now() - started > 30_000) return rejectPage(new Error(`no new notes after ${before}`));
              if (document.querySelectorAll(selector).length > before) requestAnimationFrame(() => resolvePage(performance.now() - started));
              else requestAnimationFrame(check);
            };
            button.click();
            requestAnimationFrame(check);
          }),
        CARD,
      );
      if (ms === null) break;
      pageTimes.push(ms);
      if (pageTimes.length % 40 === 0) log(`[render] ${pageTimes.length} pages, last ${round(ms)} ms`);
    }
    const totalSeconds = round((performance.now() - pagingStarted) / 1000, 1);
    const notesShown = await page.locator(CARD).count();
    log(`[render] ${pageTimes.length} pages in ${totalSeconds} s, ${notesShown} notes shown`);
    await page.waitForTimeout(500);
    const idle = await idleFrames(page, 2);

    // (3) Scroll top to bottom in ~scrollSeconds, one step per animation frame; frame intervals.
    const scroll = await page.evaluate(
      ({ seconds }) =>
        new Promise<{ intervals: number[]; distance: number }>((resolveScroll) => {
          const scroller = document.scrollingElement ?? document.documentElement;
          scroller.scrollTop = 0;
          const distance = scroller.scrollHeight - window.innerHeight;
          const intervals: number[] = [];
          let startedAt: number | null = null;
          let last: number | null = null;
          const frame = (now: number) => {
            if (last !== null) intervals.push(now - last);
            last = now;
            startedAt ??= now;
            const progress = Math.min(1, (now - startedAt) / (seconds * 1000));
            window.scrollTo(0, progress * distance);
            if (progress < 1) requestAnimationFrame(frame);
            else resolveScroll({ intervals, distance });
          };
          requestAnimationFrame(() => requestAnimationFrame(frame));
        }),
      { seconds: options.scrollSeconds },
    );
    const frameMs = summarise(scroll.intervals);
    const scrolledMs = scroll.intervals.reduce((sum, value) => sum + value, 0);

    const metrics = await cdpMetrics(cdp);
    const dom = await page.evaluate(
      (selector) => {
        const memory = (performance as unknown as { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
        return { nodes: document.getElementsByTagName('*').length, noteCards: document.querySelectorAll(selector).length, memory: memory ? { used: memory.usedJSHeapSize, total: memory.totalJSHeapSize } : null };
      },
      CARD,
    );
    const mb = (bytes: number | undefined) => (bytes === undefined ? null : round(bytes / 1024 / 1024, 1));
    await context.close();
    const mean = (values: number[]) => round(values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length), 1);
    return {
      notes: options.notes,
      notesShown,
      insertSeconds,
      chromium: browser.version(),
      initialLoad: { firstPaintMs: round(paints['first-paint'] ?? Number.NaN, 1) || null, firstContentfulPaintMs: round(paints['first-contentful-paint'] ?? Number.NaN, 1) || null, largestContentfulPaintMs: lcp === null ? null : round(lcp, 1) },
      firstCard: { runs: firstCardRuns, summary: summarise(firstCardRuns) },
      paging: { pages: pageTimes.length, perPage: summarise(pageTimes), totalSeconds, firstTenMeanMs: mean(pageTimes.slice(0, 10)), lastTenMeanMs: mean(pageTimes.slice(-10)) },
      scroll: {
        idleBaseline: { frames: idle.length, meanFps: round(idle.length / (idle.reduce((sum, value) => sum + value, 0) / 1000), 1), frameMs: summarise(idle) },
        seconds: round(scrolledMs / 1000, 2),
        distancePx: Math.round(scroll.distance),
        frames: scroll.intervals.length,
        meanFps: round(scroll.intervals.length / (scrolledMs / 1000), 1),
        frameMs,
        longFrames: scroll.intervals.filter((value) => value > 50).length,
        longFrameThresholdMs: 50,
      },
      dom: {
        nodes: metrics.Nodes ?? dom.nodes,
        noteCards: dom.noteCards,
        jsHeapUsedMb: mb(metrics.JSHeapUsedSize ?? dom.memory?.used),
        jsHeapTotalMb: mb(metrics.JSHeapTotalSize ?? dom.memory?.total),
        layoutCount: metrics.LayoutCount ?? null,
        recalcStyleCount: metrics.RecalcStyleCount ?? null,
      },
    };
  } finally {
    await browser.close();
    await backend.dispose();
  }
}

/** The summary block for run.ts. */
export function renderSummary(report: JournalRenderReport): string {
  const { firstCard, paging, scroll, dom } = report;
  return [
    `\n5. Rendering a journal of ${report.notes.toLocaleString('en')} signed notes (+ the demo's) in Chromium ${report.chromium} (headless, --disable-gpu, 1280×900), Lars Lege via the UI, the real backend on PGlite.` +
      `\n   first card = hash change to #/journal/<id> until the animation frame after the first note card is in the DOM (${firstCard.runs.length} runs); page = "Vis flere" click until the new cards' frame.\n`,
    table(
      ['measure', 'value'],
      [
        ['first note card painted, p50 / max ms', `${firstCard.summary.p50Ms} / ${firstCard.summary.maxMs} (runs: ${firstCard.runs.join(', ')})`],
        ['initial load (login page) FCP / LCP ms', `${report.initialLoad.firstContentfulPaintMs ?? '–'} / ${report.initialLoad.largestContentfulPaintMs ?? '–'}`],
        ['"Vis flere" pages', `${paging.pages} (25 notes each), ${report.notesShown} notes shown`],
        ['per page p50 / p95 / max ms', `${paging.perPage.p50Ms} / ${paging.perPage.p95Ms} / ${paging.perPage.maxMs}`],
        ['per page mean, first 10 / last 10 ms', `${paging.firstTenMeanMs} / ${paging.lastTenMeanMs}`],
        ['all pages, total s', paging.totalSeconds],
        ['scroll top→bottom', `${scroll.distancePx.toLocaleString('en')} px in ${scroll.seconds} s, ${scroll.frames} frames`],
        ['scroll mean FPS (idle page, same browser)', `${scroll.meanFps} (${scroll.idleBaseline.meanFps}, frame p50 ${scroll.idleBaseline.frameMs.p50Ms} ms)`],
        ['frame time p50 / p95 / p99 / max ms', `${scroll.frameMs.p50Ms} / ${scroll.frameMs.p95Ms} / ${scroll.frameMs.p99Ms} / ${scroll.frameMs.maxMs}`],
        [`frames > ${scroll.longFrameThresholdMs} ms`, scroll.longFrames],
        ['DOM nodes (all pages shown)', dom.nodes.toLocaleString('en')],
        ['JS heap used / total MB', `${dom.jsHeapUsedMb ?? '–'} / ${dom.jsHeapTotalMb ?? '–'}`],
        ['layouts / style recalcs (whole page life)', `${dom.layoutCount ?? '–'} / ${dom.recalcStyleCount ?? '–'}`],
      ],
    ),
  ].join('\n');
}
