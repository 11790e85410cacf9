import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import { keepScreenshot } from './screenshot';

/**
 * PLAT-11: WCAG 2.1 AA. axe-core (the rules tagged wcag2a, wcag2aa, wcag21a, wcag21aa); any serious
 * or critical finding fails, named with its rule and the elements it found, so the fix can be made
 * where it belongs (the theme, not the element). Shared by accessibility.e2e.ts and every feature's
 * end-to-end test that checks its own pages in the states they reach.
 */

/** Once `shownBy` is visible, runs axe on the page, and keeps a screenshot if one is named. */
export async function expectPageAccessible(page: Page, testInfo: TestInfo, name: string, shownBy: Locator, screenshot?: { name: string; fullPage?: boolean }): Promise<void> {
  await expect(shownBy).toBeVisible();
  await expectAccessible(page, name);
  if (screenshot) await keepScreenshot(page, testInfo, screenshot.name, { fullPage: screenshot.fullPage ?? true });
}

/** Runs axe on the page as it is now; fails on serious or critical violations. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // Mantine fades dialogs and notifications in: a half-transparent frame would be a false contrast finding.
  await page.waitForTimeout(400);
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}) on ${violation.nodes.length}: ${violation.nodes.slice(0, 6).map((node) => `${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`).join(' | ')}`);
  expect(serious, `axe on ${name}`).toEqual([]);
}
