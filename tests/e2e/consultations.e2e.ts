import { type Browser, expect, test } from '@playwright/test';
import { Authenticator } from './support/authenticator';
import { BackendProcess } from './support/backend-process';
import { logInAsDemoUser, type Session } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * JRN-6 end to end in Chromium against the real backend (demo mode): Lars Lege books a
 * consultation with Åse Ødegård early today, is refused an hour he is already booked, finds the
 * consultation on his start page and opens Åse's journal from it, then cancels it in the calendar.
 * Early today (07:00, Oslo) is before the demo's own bookings and allowed at any hour of the day
 * the test runs (a consultation may start earlier today, not on an earlier day).
 */

const LARS = 'lege@demo.journalkontor.no';

let backend: BackendProcess;
const authenticator = new Authenticator();
let lars: Session;

const logIn = (browser: Browser, email: string, hash: string) => logInAsDemoUser(browser, backend, authenticator, email, { hash });

test.describe.serial('consultations', () => {
  test.beforeAll(async () => {
    backend = await BackendProcess.create();
    await backend.start();
  });

  test.afterAll(async () => {
    await lars?.page.context().close();
    await backend?.dispose();
  });

  test('JRN-6: Lars books a consultation, sees it on his start page and opens the patient from it; then cancels it', async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    lars = await logIn(browser, LARS, '#/consultations');
    const { page } = lars;
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    await expect(nav.getByRole('link', { name: 'Min dag' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Timebok', level: 2 })).toBeVisible();

    // Book: the patient through the journal's search, then date (today, filled in), time, length, type.
    await page.getByRole('button', { name: 'Ny konsultasjon' }).click();
    const modal = page.getByTestId('book-consultation');
    await modal.getByLabel('Søk etter pasient').fill('Ødegård');
    await modal.getByRole('button', { name: 'Søk', exact: true }).click();
    await modal.getByRole('button', { name: 'Velg: Ødegård, Åse' }).click();
    await expect(modal.getByTestId('picked-patient')).toContainText('Ødegård, Åse');

    // An hour Lars already has (the demo's 09:00 with Kari) is refused, naming the time.
    await modal.getByLabel('Klokkeslett').fill('09:10');
    await modal.getByRole('button', { name: 'Bestill' }).click();
    await expect(modal.getByText('Behandleren har allerede en avtale på dette tidspunktet.')).toBeVisible();

    await modal.getByLabel('Klokkeslett').fill('07:00');
    await modal.getByLabel('Varighet (minutter)').fill('35');
    await modal.getByLabel('Type').selectOption({ label: 'Telefon' });
    await modal.getByRole('button', { name: 'Bestill' }).click();
    await expect(modal).toBeHidden();
    const dayRow = page.getByTestId('calendar-entry').filter({ hasText: '07:00–07:35' });
    await expect(dayRow).toContainText('Ødegård, Åse');
    await expect(dayRow).toContainText('Konsultasjon · Telefon');

    // The start page: today's list in time order, the new one first; the overdue draft highlighted.
    await nav.getByRole('link', { name: 'Min dag' }).click();
    const today = page.getByTestId('start-appointments');
    await expect(today.getByRole('row').nth(1)).toContainText('07:00–07:35');
    await expect(today.getByRole('row').nth(1)).toContainText('Ødegård, Åse');
    await expect(page.getByTestId('start-drafts')).toContainText('For gammelt');
    await keepScreenshot(page, testInfo, 'start-page');

    // Opening the patient from the start page opens the journal, the id in the URL and nothing else.
    await today.getByRole('row').nth(1).getByRole('link', { name: 'Ødegård, Åse' }).click();
    await expect(page.getByTestId('patient-header')).toBeVisible();
    await expect(page).toHaveURL(/#\/journal\/[0-9a-f-]{36}$/);

    // Cancel it in the calendar, with confirmation; it leaves the day.
    await nav.getByRole('link', { name: 'Timebok' }).click();
    const booked = page.getByTestId('calendar-entry').filter({ hasText: '07:00–07:35' });
    await booked.getByRole('button', { name: 'Avlys' }).click();
    await page.getByTestId('cancel-consultation').getByRole('button', { name: 'Avlys konsultasjonen' }).click();
    await expect(page.getByTestId('calendar-entry').filter({ hasText: '07:00–07:35' })).toHaveCount(0);
    await expect(page.getByTestId('calendar-entry').filter({ hasText: 'Nordmann, Kari' }).first()).toBeVisible();

    // The week view: Monday to Sunday, the home visit among the consultations.
    await page.locator('label').filter({ hasText: /^Uke$/ }).click();
    await expect(page.getByTestId('calendar-entry').filter({ hasText: 'Hjemmebesøk' }).first()).toBeVisible();
    await keepScreenshot(page, testInfo, 'consultations-week');
  });
});
