// `npm run bench -- --only=render`: a journal of 5,000 signed notes in Chromium (issue 4): time to the
// first painted note card, each "Vis flere" page, and scrolling through them (frame times, how much
// of the window shows notes, how many cards are mounted). Figures only. The real backend (demo
// mode, PGlite) serves the built renderer, as in the e2e tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import { openDatabase } from '../../src/server/db/database';
import { signedContentHash } from '../../src/server/journal/content-hash';
import { Authenticator } from '../e2e/support/authenticator';
import { BackendProcess } from '../e2e/support/backend-process';
import { log, round, summarise, table, type LatencySummary } from './support/stats';

const root = resolve(import.meta.dirname, '../..');
const LARS = 'lege@demo.journalkontor.no';
const CARD = '[data-testid="note-card"]';
const LIST = '[data-testid="notes-list"]';
// A fast flick of the wheel or a held arrow key: about 70 px a frame at 60 Hz.
const FLING_PX_PER_SECOND = 4000;
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
  scroll: { idleBaseline: { frames: number; meanFps: number; frameMs: LatencySummary }; longFrameThresholdMs: number; sweep: ScrollRun; fling: ScrollRun & { pxPerSecond: number } };
  dom: { nodes: number; noteCards: number; jsHeapUsedMb: number | null; jsHeapTotalMb: number | null; layoutCount: number | null; recalcStyleCount: number | null };
}

/** One programmatic scroll, a step per animation frame. */
export interface ScrollRun {
  seconds: number;
  distancePx: number;
  frames: number;
  meanFps: number;
  frameMs: LatencySummary;
  longFrames: number;
  /** Note cards in the DOM (the list's children), most and mean over the frames. */
  mountedCards: { max: number; mean: number };
  /** Main-thread time per frame of the timed pass (Chromium's Performance metrics): all tasks, of it script, style and layout. */
  perFrameMs: { tasks: number; script: number; style: number; layout: number };
  /**
   * From a second, untimed pass of the same scroll: of 9 points down the window's part of the
   * list, the mean share on a note card (the gaps between cards make a full list ~0.94), and the
   * share of frames with none (the window showed no note at all).
   */
  meanCoverage: number;
  blankFrameShare: number;
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
/** Debian's Chromium, headless, as the e2e tests run it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.JK_CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export function ensureBuilt(): void {
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

const LONG_FRAME_MS = 50;

/**
 * Scrolls the window from the top, one step per animation frame, for `seconds`: to the bottom
 * (pxPerSecond null) or at a steady speed; twice. The timed pass records each frame's interval and
 * the list's children (childElementCount: no layout). The second pass records what each frame
 * paints: 9 points down the part of the window the list takes, each on a note card or not
 * (elementFromPoint right after the step). That forces a layout inside the animation frame, which
 * costs a long list far more than its own rendering would (content-visibility is decided twice),
 * so its frame times are not used.
 *
 * A user's scroll (wheel, keys, dragging the scroll bar) reaches the page's scroll listeners before
 * the frame that shows it is painted: the new offset is applied at the start of the frame and its
 * scroll event dispatched before the animation frame callbacks. A scrollTo inside an animation
 * frame comes after that point, so its scroll event would only be dispatched with the next frame,
 * and a virtualised list would always paint the cards of the step before (at thousands of px a
 * step: none in the window). Each step therefore dispatches a scroll event itself; a list that
 * listens to none (one not virtualised) is not affected.
 */
async function scrollRun(page: Page, cdp: CDPSession, { seconds, pxPerSecond }: { seconds: number; pxPerSecond: number | null }): Promise<ScrollRun> {
  const pass = async (isCoverage: boolean) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(500);
    return page.evaluate(
      ({ duration, speed, selector, listSelector, withCoverage }) =>
        new Promise<{ intervals: number[]; coverage: number[]; mounted: number[]; distance: number }>((resolveRun, rejectRun) => {
          const scroller = document.scrollingElement ?? document.documentElement;
          const list = document.querySelector(listSelector);
          if (!list) return rejectRun(new Error('no note list'));
          const header = document.querySelector('header');
          const intervals: number[] = [];
          const coverage: number[] = [];
          const mounted: number[] = [];
          let startedAt: number | null = null;
          let last: number | null = null;
          // Measured cards replace estimated heights as a virtualised list scrolls, so the end moves.
          // It is read when the page's height changes (a ResizeObserver runs after layout): read
          // in the animation frame, it would force a layout there, one more per frame.
          let end = scroller.scrollHeight - window.innerHeight;
          const observer = new ResizeObserver(() => {
            end = scroller.scrollHeight - window.innerHeight;
          });
          observer.observe(document.body);
          const frame = (now: number) => {
            if (last !== null) intervals.push(now - last);
            last = now;
            startedAt ??= now;
            const progress = Math.min(1, (now - startedAt) / (duration * 1000));
            const position = speed === null ? progress * end : Math.min(end, progress * duration * speed);
            window.scrollTo(0, position);
            // Where a user's scroll would have it: before this frame is painted (see above).
            window.dispatchEvent(new Event('scroll'));
            mounted.push(list.childElementCount);
            if (withCoverage) {
              const box = list.getBoundingClientRect();
              const top = Math.max(box.top, header?.getBoundingClientRect().bottom ?? 0);
              const bottom = Math.min(box.bottom, window.innerHeight);
              if (bottom - top > 50) {
                let hits = 0;
                for (let point = 0; point < 9; point++) {
                  if (document.elementFromPoint(box.left + 24, top + ((point + 0.5) / 9) * (bottom - top))?.closest(selector)) hits++;
                }
                coverage.push(hits / 9);
              }
            }
            if (progress < 1) requestAnimationFrame(frame);
            else {
              observer.disconnect();
              resolveRun({ intervals, coverage, mounted, distance: position });
            }
          };
          requestAnimationFrame(() => requestAnimationFrame(frame));
        }),
      { duration: seconds, speed: pxPerSecond, selector: CARD, listSelector: LIST, withCoverage: isCoverage },
    );
  };
  const before = await cdpMetrics(cdp);
  const timed = await pass(false);
  const after = await cdpMetrics(cdp);
  const { coverage } = await pass(true);
  const perFrame = (name: string) => round((((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / Math.max(1, timed.intervals.length), 1);
  const scrolledMs = timed.intervals.reduce((sum, value) => sum + value, 0);
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / Math.max(1, values.length);
  return {
    seconds: round(scrolledMs / 1000, 2),
    distancePx: Math.round(timed.distance),
    frames: timed.intervals.length,
    meanFps: round(timed.intervals.length / (scrolledMs / 1000), 1),
    frameMs: summarise(timed.intervals),
    longFrames: timed.intervals.filter((value) => value > LONG_FRAME_MS).length,
    mountedCards: { max: Math.max(...timed.mounted), mean: round(mean(timed.mounted), 1) },
    perFrameMs: { tasks: perFrame('TaskDuration'), script: perFrame('ScriptDuration'), style: perFrame('RecalcStyleDuration'), layout: perFrame('LayoutDuration') },
    meanCoverage: round(mean(coverage), 2),
    blankFrameShare: round(coverage.filter((value) => value === 0).length / Math.max(1, coverage.length), 2),
  };
}

export async function benchJournalRender(options: { notes: number; firstCardRuns: number; scrollSeconds: number }): Promise<JournalRenderReport> {
  ensureBuilt();
  const backend = await BackendProcess.create();
  const authenticator = new Authenticator();
  const browser = await launchChromium();
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

    // (2) All pages through "Vis flere", as a reader gets them: scroll the button into view (two
    // frames to settle), click, and time until the count "Viser N notater" has grown and the frame
    // after it is painted. The count's element is found once, outside the timing.
    const pageTimes: number[] = [];
    const pagingStarted = performance.now();
    for (;;) {
      const ms = await page.evaluate(
        (selector) =>
          new Promise<number | null>((resolvePage, rejectPage) => {
            const button = [...document.querySelectorAll('button')].find((candidate) => candidate.textContent?.trim() === 'Vis flere');
            if (!button) return resolvePage(null);
            const counter = [...document.querySelectorAll('p')].find((element) => /^Viser \d+ notat/.test(element.textContent?.trim() ?? ''));
            if (!counter) return rejectPage(new Error('no "Viser N notater" beside "Vis flere"'));
            const shown = () => Number(/\d+/.exec(counter.textContent ?? '')?.[0] ?? 0);
            const before = shown();
            button.scrollIntoView({ block: 'end' });
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const started = performance.now();
                const check = () => {
                  if (performance.now() - started > 30_000) return rejectPage(new Error(`no new notes after ${before}`));
                  // The first new card mounted (a virtualised list) or in the DOM (one that is not).
                  const isIn = shown() > before && (document.querySelector(`${selector}[aria-posinset="${before + 1}"]`) !== null || document.querySelectorAll(selector).length > before);
                  if (isIn) requestAnimationFrame(() => resolvePage(performance.now() - started));
                  else requestAnimationFrame(check);
                };
                button.click();
                requestAnimationFrame(check);
              }),
            );
          }),
        CARD,
      );
      if (ms === null) break;
      pageTimes.push(ms);
      if (pageTimes.length % 40 === 0) log(`[render] ${pageTimes.length} pages, last ${round(ms)} ms`);
    }
    const totalSeconds = round((performance.now() - pagingStarted) / 1000, 1);
    const notesShown = await page.evaluate(() => Number(/Viser (\d+) notat/.exec([...document.querySelectorAll('p')].map((element) => element.textContent ?? '').find((text) => text.startsWith('Viser ')) ?? '')?.[1] ?? 0));
    log(`[render] ${pageTimes.length} pages in ${totalSeconds} s, ${notesShown} notes shown`);
    await page.waitForTimeout(500);
    const idle = await idleFrames(page, 2);

    // (3) Scrolling, a step per animation frame: (a) top to bottom through every loaded note in
    // scrollSeconds (thousands of px a frame: every frame shows other notes), (b) from the top at
    // FLING_PX_PER_SECOND, a fast but human speed.
    const sweep = await scrollRun(page, cdp, { seconds: options.scrollSeconds, pxPerSecond: null });
    log(`[render] top to bottom: ${sweep.meanFps} FPS, blank frames ${sweep.blankFrameShare}, up to ${sweep.mountedCards.max} cards mounted`);
    const fling = await scrollRun(page, cdp, { seconds: options.scrollSeconds, pxPerSecond: FLING_PX_PER_SECOND });
    log(`[render] ${FLING_PX_PER_SECOND} px/s: ${fling.meanFps} FPS, blank frames ${fling.blankFrameShare}`);
    // Scrolled to the bottom, the last loaded note must be in the DOM (mounted, if the list is virtualised).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(
      ({ selector, count }) => document.querySelector(`${selector}[aria-posinset="${count}"]`) !== null || document.querySelectorAll(selector).length === count,
      { selector: CARD, count: notesShown },
      { timeout: 10_000 },
    );
    const metrics = await cdpMetrics(cdp);
    const dom = await page.evaluate(
      (selector) => {
        const memory = (performance as unknown as { memory?: { usedJSHeapSize: number; totalJSHeapSize: number } }).memory;
        return { nodes: document.getElementsByTagName('*').length, noteCards: document.querySelectorAll(selector).length, memory: memory ? { used: memory.usedJSHeapSize, total: memory.totalJSHeapSize } : null };
      },
      CARD,
    );
    log(`[render] at the bottom: ${dom.noteCards} note cards mounted, ${dom.nodes} elements`);
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
        longFrameThresholdMs: LONG_FRAME_MS,
        sweep,
        fling: { ...fling, pxPerSecond: FLING_PX_PER_SECOND },
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
      `\n   first card = hash change to #/journal/<id> until the animation frame after the first note card is in the DOM (${firstCard.runs.length} runs); page = "Vis flere" (scrolled into view) click until the frame after the count and the first new card are in.` +
      `\n   scrolling = one step per animation frame; covered (from a second, untimed pass) = share of 9 points down the list's part of the window on a note card (gaps make a full list ~0.94); blank = frames with none.\n`,
    table(
      ['measure', 'value'],
      [
        ['first note card painted, p50 / max ms', `${firstCard.summary.p50Ms} / ${firstCard.summary.maxMs} (runs: ${firstCard.runs.join(', ')})`],
        ['initial load (login page) FCP / LCP ms', `${report.initialLoad.firstContentfulPaintMs ?? '–'} / ${report.initialLoad.largestContentfulPaintMs ?? '–'}`],
        ['"Vis flere" pages', `${paging.pages} (25 notes each), ${report.notesShown} notes shown`],
        ['per page p50 / p95 / max ms', `${paging.perPage.p50Ms} / ${paging.perPage.p95Ms} / ${paging.perPage.maxMs}`],
        ['per page mean, first 10 / last 10 ms', `${paging.firstTenMeanMs} / ${paging.lastTenMeanMs}`],
        ['all pages, total s', paging.totalSeconds],
        ['idle page, same browser: mean FPS / frame p50 ms', `${scroll.idleBaseline.meanFps} / ${scroll.idleBaseline.frameMs.p50Ms}`],
        ...scrollRows('top→bottom', scroll.sweep, scroll.longFrameThresholdMs),
        ...scrollRows(`${scroll.fling.pxPerSecond.toLocaleString('en')} px/s`, scroll.fling, scroll.longFrameThresholdMs),
        ['DOM nodes, note cards in the DOM (all pages shown, at the bottom)', `${dom.nodes.toLocaleString('en')}, ${dom.noteCards.toLocaleString('en')}`],
        ['JS heap used / total MB', `${dom.jsHeapUsedMb ?? '–'} / ${dom.jsHeapTotalMb ?? '–'}`],
        ['layouts / style recalcs (whole page life)', `${dom.layoutCount ?? '–'} / ${dom.recalcStyleCount ?? '–'}`],
      ],
    ),
  ].join('\n');
}

function scrollRows(label: string, run: ScrollRun, longFrameMs: number): [string, string | number][] {
  return [
    [`scroll ${label}`, `${run.distancePx.toLocaleString('en')} px in ${run.seconds} s, ${run.frames} frames`],
    [`  mean FPS; frame p50 / p95 / p99 / max ms`, `${run.meanFps}; ${run.frameMs.p50Ms} / ${run.frameMs.p95Ms} / ${run.frameMs.p99Ms} / ${run.frameMs.maxMs}`],
    [`  frames > ${longFrameMs} ms`, run.longFrames],
    ['  main thread per frame: tasks (script / style / layout) ms', `${run.perFrameMs.tasks} (${run.perFrameMs.script} / ${run.perFrameMs.style} / ${run.perFrameMs.layout})`],
    ['  (second pass) mean covered; share of blank frames', `${run.meanCoverage}; ${run.blankFrameShare}`],
    ['  note cards in the DOM, max / mean', `${run.mountedCards.max.toLocaleString('en')} / ${run.mountedCards.mean.toLocaleString('en')}`],
  ];
}
