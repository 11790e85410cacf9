import { expect, test } from '@playwright/test';
import { DEMO_CLINICIAN_PATIENT } from '../../src/server/demo/dpo-flags-seed';
import { expectAccessible, expectPageAccessible } from './support/accessibility';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { logInAsDemoUser } from './support/login';

/**
 * DPO-2 end to end in Chromium against the real backend (demo mode): Lars Lege uses break-glass on
 * a patient he has no relationship with (Pia Psykolog, who is also a patient of the clinic); the
 * sealer seals the event and the flags job (every 5 s in the end-to-end backend) raises the flag;
 * Petter Personvernombud sees it on his landing page, closes it as justified with a comment, and it
 * leaves the open list for the closed one, with its outcome and comment. axe on the dashboard, the
 * closing dialog and the closed list.
 */

const backend = backendForFile();
const authenticator = new Authenticator();
const DPO = 'personvern@demo.journalkontor.no';
const LEGE = 'lege@demo.journalkontor.no';
const PATIENT = `${DEMO_CLINICIAN_PATIENT.givenName} ${DEMO_CLINICIAN_PATIENT.familyName}`;

test('DPO-2: a break-glass access is flagged by the job, reviewed and closed as justified by the DPO', async ({ browser }, testInfo) => {
  test.setTimeout(300_000);

  // ACC-3: the clinician's break-glass (through the API, as the journal's dialog calls it).
  const lars = await apiAs(backend(), authenticator, LEGE);
  await lars.access.breakGlass.mutate({ nationalId: DEMO_CLINICIAN_PATIENT.nationalId, reasonCode: 'emergency_treatment', reasonText: 'Akutt, pasienten kontaktet legevakten', isWarningAcknowledged: true });

  const { page } = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: '#/dpo' });
  const dashboard = page.getByTestId('flags-dashboard');
  await expect(page.getByRole('heading', { level: 2, name: /Personvern/ })).toBeVisible();
  // The demo's own flags are there from the start (break-glass, own record, outside hours).
  await expect(dashboard.getByTestId('flag-card').and(page.locator('[data-rule="own_record"]'))).toHaveAttribute('data-count', '1');

  // The job runs every few seconds here: refresh until the new flag is listed.
  const row = dashboard.getByTestId('flag-row').filter({ hasText: 'Lars Lege' }).filter({ hasText: PATIENT });
  await expect(async () => {
    await dashboard.getByTestId('flags-refresh').click();
    await expect(row).toHaveCount(1, { timeout: 3_000 });
  }).toPass({ timeout: 90_000 });
  await expect(row).toHaveAttribute('data-rule', 'break_glass');
  await expect(row).toContainText('Nødtilgang');
  await expectPageAccessible(page, testInfo, 'dpo flags dashboard', dashboard.getByTestId('flag-trend-table'), { name: 'dpo-flags-dashboard' });

  // Filter by rule: only break-glass flags.
  await dashboard.getByTestId('flag-rule-filter').selectOption('break_glass');
  await expect.poll(async () => [...new Set(await dashboard.getByTestId('flag-row').evaluateAll((rows) => rows.map((element) => element.getAttribute('data-rule'))))]).toEqual(['break_glass']);

  // Close it: the outcome and the comment are required.
  await row.getByTestId('flag-close').click();
  const dialog = page.getByRole('dialog', { name: 'Lukk avvik' });
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('flag-close-submit').click();
  await expect(dialog.getByText('Utfall må fylles ut.')).toBeVisible();
  await expect(dialog.getByText('Kommentar må fylles ut.')).toBeVisible();
  await expectAccessible(page, 'dpo close flag dialog, errors shown');
  await dialog.getByLabel('Begrunnet – oppslaget var i orden').check();
  await dialog.getByRole('textbox', { name: /^Kommentar/ }).fill('Snakket med Lars: pasienten ringte legevakten, oppslaget var nødvendig.');
  await dialog.getByTestId('flag-close-submit').click();
  await expect(dialog).toBeHidden();
  await expect(row).toHaveCount(0);
  await dashboard.getByTestId('flag-rule-filter').selectOption('');
  await expect(dashboard.getByTestId('flag-row').filter({ hasText: 'Lars Lege' }).filter({ hasText: PATIENT })).toHaveCount(0);

  // The closed flags: the outcome, the comment, who closed it and when.
  await dashboard.getByTestId('flag-status-filter').selectOption('closed');
  const closed = dashboard.getByTestId('flag-row').filter({ hasText: 'Lars Lege' }).filter({ hasText: PATIENT });
  await expect(closed).toHaveCount(1);
  await expect(closed).toHaveAttribute('data-status', 'closed');
  await expect(closed.getByTestId('flag-closing')).toContainText('Begrunnet');
  await expect(closed.getByTestId('flag-closing')).toContainText('Lukket av Petter Personvernombud');
  await expect(closed.getByTestId('flag-closing')).toContainText('pasienten ringte legevakten');
  await expectAccessible(page, 'dpo flags, closed flags');
});
