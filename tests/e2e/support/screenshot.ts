import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

const folder = resolve(import.meta.dirname, '../../../test-results/screenshots');

/**
 * Keeps a screenshot as a test artefact (test-results/screenshots/NAME.png) and in the report. The
 * whole page by default; `fullPage: false` for what the window shows (a long journal's notes off
 * screen are not laid out, by design — content-visibility — and would show blank on a full page).
 */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const path = resolve(folder, `${name}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
