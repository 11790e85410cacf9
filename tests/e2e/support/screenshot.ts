import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page, TestInfo } from '@playwright/test';

const folder = resolve(import.meta.dirname, '../../../test-results/screenshots');

/** Keeps a screenshot as a test artefact (test-results/screenshots/NAME.png) and in the report. */
export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const path = resolve(folder, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
