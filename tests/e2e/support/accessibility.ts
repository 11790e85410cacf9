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

/**
 * How many notifications are up, and whether each is fully shown. Mantine fades a notification in,
 * and out when its timer ends (the new-device notice after login: 15 s), so one may be half
 * transparent at any moment: a false contrast finding.
 */
function notificationsNow(page: Page): Promise<{ count: number; isAtRest: boolean }> {
  return page.evaluate(() => {
    const notifications = [...document.querySelectorAll('.mantine-Notification-root')];
    const opacityOf = (element: Element): number => {
      let opacity = 1;
      for (let node: Element | null = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
      return opacity;
    };
    return { count: notifications.length, isAtRest: notifications.every((notification) => opacityOf(notification) === 1) };
  });
}

/** Runs axe on the page as it is now; fails on serious or critical violations. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  // Mantine fades dialogs and notifications in: a half-transparent frame would be a false contrast finding.
  await page.waitForTimeout(400);
  for (let attempt = 1; ; attempt++) {
    await expect.poll(async () => (await notificationsNow(page)).isAtRest, { message: `notifications at rest before axe on ${name}`, timeout: 5_000 }).toBe(true);
    const before = await notificationsNow(page);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const after = await notificationsNow(page);
    // A notification came, went or began to fade while axe looked: what it saw is not the page at rest.
    if (attempt < 3 && (after.count !== before.count || !after.isAtRest)) continue;
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.impact}) on ${violation.nodes.length}: ${violation.nodes.slice(0, 6).map((node) => `${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim() ?? ''}`).join(' | ')}`);
    expect(serious, `axe on ${name}`).toEqual([]);
    return;
  }
}
