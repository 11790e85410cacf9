import { expect, test } from '@playwright/test';
import { BackendProcess } from './support/backend-process';
import { keepScreenshot } from './support/screenshot';

let backend: BackendProcess;

test.beforeAll(async () => {
  backend = await BackendProcess.create();
  await backend.start();
});

test.afterAll(async () => {
  await backend?.dispose();
});

test('PLAT-4: the app opens in Norwegian Bokmål and switches to English', async ({ page }, testInfo) => {
  await page.goto(backend.url);
  await expect(page.getByRole('heading', { name: 'Journalkontor' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
  // Before login the menu offers only the public page (ACC-1; each role's workspaces: workspaces.e2e.ts).
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(nav.getByRole('link')).toHaveText(['Systemstatus']);
  await expect(page.getByTestId('demo-badge')).toBeVisible();
  await keepScreenshot(page, testInfo, 'shell-nb');

  await page.getByTestId('language-switch').getByText('English').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'System status' })).toBeVisible();
  await expect(page.getByTestId('login-page').getByRole('heading', { name: 'Log in' })).toBeVisible();
  await keepScreenshot(page, testInfo, 'shell-en');

  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Main menu' })).toBeVisible();
});

test('PLAT-4: the status page shows server facts, times as dd.mm.yyyy HH:mm:ss in Oslo', async ({ page }, testInfo) => {
  await page.goto(`${backend.url}/#/status`);
  const table = page.getByTestId('status-table');
  await expect(table).toBeVisible();
  await expect(table).toContainText('Innebygd PostgreSQL (PGlite)');
  await expect(table).toContainText('Demo (fiktive data)');
  await expect(table.getByRole('row', { name: /Servertid/ })).toContainText(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/);
  await expect(table).toContainText('Nettleser');
  await keepScreenshot(page, testInfo, 'status-page');
});

test('DESK-4: the backend going down and coming back is shown within seconds; the page stays', async ({ page }, testInfo) => {
  await page.goto(`${backend.url}/#/status`);
  const indicator = page.getByTestId('connection-indicator');
  await expect(indicator).toHaveAttribute('data-state', 'online');
  await expect(page.getByTestId('status-table')).toBeVisible();

  await backend.stop();
  await expect(indicator).toHaveAttribute('data-state', 'offline', { timeout: 10_000 });
  await expect(page.getByTestId('offline-banner')).toContainText('Får ikke kontakt med serveren');
  // The page is not replaced by an error screen: what was shown (and typed) is still there.
  await expect(page.getByTestId('status-table')).toBeVisible();
  await keepScreenshot(page, testInfo, 'backend-down');

  await backend.start();
  await expect(indicator).toHaveAttribute('data-state', 'online', { timeout: 15_000 });
  await expect(page.getByTestId('offline-banner')).toHaveCount(0);
  await expect(page.getByText('Forbindelsen er tilbake.')).toBeVisible();
  await keepScreenshot(page, testInfo, 'backend-back');
});

test('DESK-1: the served page carries a CSP that forbids inline and foreign scripts', async ({ page }) => {
  const response = await page.goto(backend.url);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy).toContain("script-src 'self'");
  expect(policy).not.toContain('unsafe-eval');
  // Playwright's own evaluate is exempt from the page's CSP, so test what a page script would do:
  // insert an inline script and a foreign one, and see both refused.
  const outcome = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(event.effectiveDirective));
    const inline = document.createElement('script');
    inline.textContent = 'window.__inlineRan = true';
    document.body.append(inline);
    const foreign = document.createElement('script');
    foreign.src = 'https://cdn.example.invalid/x.js';
    document.body.append(foreign);
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    return { inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true, violations };
  });
  expect(outcome.inlineRan).toBe(false);
  expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem']));
});
