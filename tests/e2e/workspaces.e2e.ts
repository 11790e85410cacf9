import { expect, test } from '@playwright/test';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { fillLoginForm } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * Issue 9 §1–3: every role lands in its own workspace from the bare address, the menu offers only
 * what the roles allow, the skip link moves focus without
 * changing the route, and focus starts where the work starts (e-mail, then the patient search).
 */

const backend = backendForFile();
const authenticator = new Authenticator();

const MENU = ['Min dag', 'Timebok', 'Mine besøk', 'Journal', 'Hjemmebesøk', 'Bedriftskunder', 'Mine oppgaver', 'Salgstrakt', 'Personvern', 'Loggkontroll', 'Innsyn i logg', 'Begjæringer', 'Sletteplan', 'Protokoller', 'Loggens integritet', 'Administrasjon', 'Systemstatus', 'Utviklerverktøy: meldinger'];

const ROLES: { email: string; hash: string; heading: string; menu: string[] }[] = [
  { email: 'koordinator@demo.journalkontor.no', hash: '#/dispatch', heading: 'Hjemmebesøk', menu: ['Hjemmebesøk', 'Systemstatus'] },
  // CRM-1, CRM-3: sales land on the company list, with their tasks and the pipeline beside it.
  { email: 'salg@demo.journalkontor.no', hash: '#/crm', heading: 'Bedrifter', menu: ['Bedriftskunder', 'Mine oppgaver', 'Salgstrakt', 'Systemstatus'] },
  // DPO-1…8: the DPO lands on the flags dashboard, every other tool of theirs beside it.
  {
    email: 'personvern@demo.journalkontor.no',
    hash: '#/dpo',
    heading: 'Personvern',
    menu: ['Personvern', 'Loggkontroll', 'Innsyn i logg', 'Begjæringer', 'Sletteplan', 'Protokoller', 'Loggens integritet', 'Systemstatus'],
  },
  // CRM-5, DPO-8: an admin has the CRM as the server gives it and the log's integrity check, and still lands in administration.
  {
    email: 'admin@demo.journalkontor.no',
    hash: '#/admin',
    heading: 'Administrasjon',
    menu: ['Bedriftskunder', 'Mine oppgaver', 'Salgstrakt', 'Administrasjon', 'Loggens integritet', 'Systemstatus', 'Utviklerverktøy: meldinger'],
  },
];

test('ACC-1: before login the menu offers only the public status page, and focus starts in the e-mail field', async ({ page }) => {
  await page.goto(backend().url);
  const login = page.getByTestId('login-page');
  await expect(login.getByLabel('E-post')).toBeFocused();
  const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
  await expect(nav.getByRole('link')).toHaveText(['Systemstatus']);
});

for (const role of ROLES) {
  test(`ACC-1: ${role.email.split('@')[0]} lands in ${role.hash} from the bare address, and the menu shows only their workspaces`, async ({ browser }, testInfo) => {
    const login = await backend().demoLogin(role.email);
    const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
    const page = await context.newPage();
    await page.goto(backend().url);
    await fillLoginForm(page, authenticator, login);
    await expect(page).toHaveURL(new RegExp(`${role.hash}$`));
    await expect(page.getByRole('heading', { level: 2, name: role.heading })).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    await expect(nav.getByRole('link')).toHaveText(role.menu);
    for (const hidden of MENU.filter((label) => !role.menu.includes(label))) await expect(nav.getByRole('link', { name: hidden, exact: true })).toHaveCount(0);
    await expect(page.getByTestId('journal-no-access')).toHaveCount(0);
    // A page their roles do not open (a link from someone else, say) sends them to their own.
    await page.evaluate(() => {
      window.location.hash = '#/journal';
    });
    await expect(page).toHaveURL(new RegExp(`${role.hash}$`));
    await keepScreenshot(page, testInfo, `workspace-${role.hash.slice(2)}`);
    await context.close();
  });
}

test('ACC-1, JRN-6, PLAT-11: a clinician lands on the start page of the day with focus in the patient search; the new-device notice leaves the header free; the skip link focuses the page without changing the route', async ({
  browser,
}, testInfo) => {
  const login = await backend().demoLogin('lege@demo.journalkontor.no');
  const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
  const page = await context.newPage();
  await page.goto(backend().url);
  await expect(page.getByTestId('login-page').getByLabel('E-post')).toBeFocused();
  await fillLoginForm(page, authenticator, login);
  await expect(page).toHaveURL(/#\/start$/);
  await expect(page.getByTestId('start-page')).toBeVisible();
  await expect(page.getByLabel('Søk etter pasient')).toBeFocused();
  await expect(page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link')).toHaveText(['Min dag', 'Timebok', 'Mine besøk', 'Journal', 'Systemstatus']);

  // AUTH-6's notice for a new device opens below the header: the user menu stays visible and usable.
  const notice = page.locator('.mantine-Notification-root', { hasText: 'Ny enhet registrert' });
  await expect(notice).toBeVisible();
  const header = await page.locator('header').boundingBox();
  const noticeBox = await notice.boundingBox();
  expect(header && noticeBox && noticeBox.y >= header.y + header.height).toBe(true);
  await keepScreenshot(page, testInfo, 'workspace-journal-new-device', { fullPage: false });

  // Skip link: the first focusable element of the page, shown when it has focus (focus starts in the
  // search here, so it is focused directly); Enter moves focus to the main content, the route stays.
  const url = page.url();
  const skip = page.getByRole('link', { name: 'Hopp til innhold' });
  expect(await page.evaluate(() => document.querySelector('a[href], button, input')?.textContent)).toBe('Hopp til innhold');
  await skip.focus();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
  expect(page.url()).toBe(url);
  // The next Tab continues inside the page, not in the header or the menu.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
  await context.close();
});
