import { type Browser, expect, type Page, test } from '@playwright/test';
import { syntheticNationalId } from '../../src/server/demo/journal-seed';
import { Authenticator } from './support/authenticator';
import { BackendProcess } from './support/backend-process';
import { logInAsDemoUser, type Session } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * Patient search and registration in Chromium against the real backend (demo mode, PLAT-5): Pia
 * Psykolog types a fødselsnummer with wrong check digits, registers a patient whose date of birth
 * and gender come from the number, and tries to register Kari Nordmann's number — a patient she
 * has no legitimate need for — and is offered only break-glass, told nothing about Kari (ADR 0010).
 */

const PIA = 'psykolog@demo.journalkontor.no';

let backend: BackendProcess;
const authenticator = new Authenticator();
let pia: Session;

const logIn = (browser: Browser, email: string) => logInAsDemoUser(browser, backend, authenticator, email, { hash: '#/journal' });

async function search(page: Page, query: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Journal' }).click();
  await page.getByLabel('Søk etter pasient').fill(query);
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
}

test.describe.serial('patients', () => {
  test.beforeAll(async () => {
    backend = await BackendProcess.create();
    await backend.start();
  });

  test.afterAll(async () => {
    await pia?.page.context().close();
    await backend?.dispose();
  });

  test('JRN-1: a fødselsnummer with wrong check digits is said to be invalid, and no break-glass is offered for it', async ({ browser }, testInfo) => {
    pia = await logIn(browser, PIA);
    const { page } = pia;
    const valid = syntheticNationalId('1977-03-03', 7, 'male');
    const wrongCheckDigits = `${valid.slice(0, 10)}${(Number(valid[10]) + 1) % 10}`;
    await search(page, wrongCheckDigits);
    await expect(page.getByText('Fødselsnummeret har feil kontrollsiffer.')).toBeVisible();
    await expect(page.getByTestId('search-empty')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /Akuttilgang/ })).toHaveCount(0);
    await keepScreenshot(page, testInfo, 'patients-invalid-number');

    // A valid number nobody has: the empty answer, and break-glass by the number.
    await search(page, valid);
    await expect(page.getByTestId('search-empty')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Akuttilgang (nødstilfelle) med dette fødselsnummeret' })).toBeVisible();
  });

  test('JRN-1: registering fills in the date of birth and gender from the number; a number of a patient Pia may not open leads only to break-glass (ACC-3, ACC-5)', async ({ browser }, testInfo) => {
    pia ??= await logIn(browser, PIA);
    const { page } = pia;
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Journal' }).click();
    await page.getByRole('button', { name: 'Registrer pasient' }).click();
    const form = page.getByRole('dialog', { name: 'Registrer pasient' });

    await form.getByLabel('Fødselsnummer').fill(syntheticNationalId('1989-07-15', 11, 'male'));
    await expect(form.getByLabel('Fødselsdato')).toHaveValue('15.07.1989');
    await expect(form.getByLabel('Kjønn')).toHaveValue('male');
    await expect(form.getByText('Fødselsdato og kjønn er fylt ut fra fødselsnummeret.')).toBeVisible();
    await keepScreenshot(page, testInfo, 'patients-derived-from-number');

    // Kari Nordmann's number (the demo's patient of Lars): nothing about her, only the logged way in.
    await form.getByLabel('Fødselsnummer').fill(syntheticNationalId('1965-07-15', 1, 'female'));
    await expect(form.getByLabel('Fødselsdato')).toHaveValue('15.07.1965');
    await expect(form.getByLabel('Kjønn')).toHaveValue('female');
    await form.getByLabel('Fornavn').fill('Nora');
    await form.getByLabel('Etternavn').fill('Nyberg');
    await form.getByRole('button', { name: 'Registrer pasient' }).click();
    const refusal = form.getByTestId('patient-form-error');
    await expect(refusal).toContainText('kan allerede finnes');
    await expect(refusal).toContainText('akuttilgang');
    await expect(page.locator('body')).not.toContainText('Kari');
    await keepScreenshot(page, testInfo, 'patients-number-may-exist');
    await refusal.getByRole('button', { name: 'Akuttilgang (nødstilfelle) med dette fødselsnummeret' }).click();
    const breakGlass = page.getByRole('dialog', { name: 'Akuttilgang (nødstilfelle)' });
    await expect(breakGlass.getByTestId('break-glass-warning')).toBeVisible();
    await breakGlass.getByRole('button', { name: 'Avbryt' }).click();

    // AUD-7: Pia's own log shows the refused registration, about "a patient", unnamed.
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Min aktivitet' }).click();
    const row = page.getByTestId('activity-table').locator('tr[data-action="patient.registered"]').first();
    await expect(row).toContainText('Avvist');
    await expect(row).toContainText('En pasient');
    await expect(page.getByTestId('activity-table')).not.toContainText('Kari');
    await keepScreenshot(page, testInfo, 'patients-my-activity');
  });
});
