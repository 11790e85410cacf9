import { expect, test } from '@playwright/test';
import { expectAccessible, expectPageAccessible } from './support/accessibility';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { logInAsDemoUser } from './support/login';

/**
 * DPO-1, DPO-8 end to end in Chromium against the real backend (demo mode): Lars Lege opens Ola
 * Hansen's journal; Petter Personvernombud finds Ola by name in the log review, filters the log by
 * him, opens the event's context, marks it reviewed with a comment and sees it marked; then runs
 * the integrity check and sees the log intact. axe on every page state (WCAG 2.1 AA).
 */

const backend = backendForFile();
const authenticator = new Authenticator();
const DPO = 'personvern@demo.journalkontor.no';
const ADMIN = 'admin@demo.journalkontor.no';

test('DPO-1, DPO-8: the DPO filters the log by a patient, reads an event in context, marks it reviewed, and proves the log intact', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);
  test.slow();

  // The access to review: Lars opens Ola Hansen's journal (journal.record.opened, today).
  const lege = await apiAs(backend(), authenticator, 'lege@demo.journalkontor.no');
  const [ola] = await lege.patients.search.query({ query: 'Ola Hansen' });
  if (!ola) throw new Error('the demo has no Ola Hansen');
  await lege.journal.open.query({ patientId: ola.id });

  const { page } = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: '#/dpo/log' });
  // The page is loaded lazily, then the first search: on a busy machine this takes a while.
  await expect(page.getByTestId('log-table')).toBeVisible({ timeout: 60_000 });
  await expectPageAccessible(page, testInfo, 'log review, the last seven days', page.getByTestId('log-table'), { name: 'dpo-log-initial' });

  // DPO-1: the patient found by name, the log narrowed to him.
  await page.getByLabel('Finn pasient (fødselsnummer eller navn)').fill('Ola Hansen');
  await page.getByRole('button', { name: 'Finn', exact: true }).click();
  await expect(page.getByTestId('patient-filter')).toContainText('Ola Hansen');
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  const table = page.getByTestId('log-table');
  const opened = table.locator('[role="row"][data-action="journal.record.opened"]').filter({ hasText: 'Lars Lege' }).first();
  await expect(opened).toBeVisible();
  const rows = table.locator('[role="row"][data-event-id]');
  const patientCells = await rows.locator('[role="cell"]:nth-child(6)').allTextContents();
  expect(patientCells.length).toBeGreaterThan(0);
  expect(new Set(patientCells)).toEqual(new Set(['Ola Hansen']));
  await expectAccessible(page, 'log review filtered by a patient');

  // The event and the same user's events around it.
  await opened.locator('[role="cell"]:nth-child(2) button').click();
  const drawer = page.getByTestId('event-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText('Lars Lege');
  await expect(drawer.getByTestId('event-context').or(drawer.getByText('Ingen andre hendelser fra brukeren i tidsrommet.'))).toBeVisible();
  await expectAccessible(page, 'an event with its context');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();

  // Marked reviewed with a comment; the row shows it.
  const eventId = await opened.getAttribute('data-event-id');
  const row = table.locator(`[role="row"][data-event-id="${eventId}"]`);
  await row.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Merk som kontrollert (1)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Merk hendelser som kontrollert' });
  await dialog.getByLabel('Kommentar').fill('Lars har behandlingsrelasjon til Ola. Ingen avvik.');
  await expectAccessible(page, 'the review dialog');
  await dialog.getByRole('button', { name: 'Lagre kontrollen' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('1 hendelse er merket som kontrollert.')).toBeVisible();
  await expect(row.getByTestId('reviewed-badge')).toHaveText('Kontrollert');
  await expectAccessible(page, 'log review after marking an event reviewed');

  // DPO-8: the integrity check from the workspace.
  await page.goto(`${backend().url}/#/dpo/integrity`);
  await expectPageAccessible(page, testInfo, 'integrity page', page.getByRole('heading', { name: 'Loggens integritet', level: 2 }), { name: 'dpo-integrity-before' });
  await page.getByRole('button', { name: 'Kontroller loggen nå' }).click();
  const result = page.getByTestId('integrity-result');
  await expect(result).toHaveAttribute('data-result', 'intact', { timeout: 90_000 });
  await expect(result).toContainText('Loggen er intakt');
  await expect(page.getByTestId('witness-line')).toContainText('Siste segl: nr.');
  await expect(page.getByTestId('integrity-history')).toContainText('Intakt');
  await expectPageAccessible(page, testInfo, 'integrity page with the result', result, { name: 'dpo-integrity-intact' });
});

test('DPO-8, AUD-4: the admin reaches the integrity check from the menu, runs it and sees the log intact (no log export: that is the DPO’s)', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const { page } = await logInAsDemoUser(browser, backend(), authenticator, ADMIN, { hash: '#/admin' });
  await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Loggens integritet' }).click();
  await expect(page).toHaveURL(/#\/dpo\/integrity$/);
  await expect(page.getByRole('heading', { name: 'Loggens integritet', level: 2 })).toBeVisible({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Kontroller loggen nå' }).click();
  const result = page.getByTestId('integrity-result');
  await expect(result).toHaveAttribute('data-result', 'intact', { timeout: 90_000 });
  await expect(page.getByTestId('log-export-card')).toHaveCount(0);
  await expectPageAccessible(page, testInfo, 'integrity page for the admin', result, { name: 'dpo-integrity-admin' });
});
