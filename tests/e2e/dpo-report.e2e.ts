import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectPageAccessible } from './support/accessibility';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { answerStepUpIfAsked, logInAsDemoUser } from './support/login';

/**
 * DPO-3, DPO-6, DPO-7 end to end in Chromium against the real backend (demo mode): Lars Lege opens
 * Ola Hansen's journal; Petter Personvernombud finds Ola, sees Lars in the access report and prints
 * it as a PDF (step-up answered with the authenticator); he edits a processing activity in the
 * registers; the retention page shows the dry run. Each page is checked with axe (WCAG 2.1 AA).
 */

const backend = backendForFile();
const authenticator = new Authenticator();
const DPO = 'personvern@demo.journalkontor.no';
const DOCTOR = 'lege@demo.journalkontor.no';

test('DPO-3, DPO-6, DPO-7: access report with PDF, a register entry edited, the retention dry run', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  // Lars Lege opens Ola Hansen's journal (through the API: the access is what matters here).
  const doctor = await apiAs(backend(), authenticator, DOCTOR);
  const [ola] = await doctor.patients.search.query({ query: 'Ola Hansen' });
  expect(ola).toBeDefined();
  await doctor.journal.open.query({ patientId: ola!.id });

  const session = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: '#/dpo/access-report', acceptDownloads: true });
  const { page } = session;
  const reportPage = page.getByTestId('access-report-page');
  await expect(reportPage.getByRole('heading', { level: 2, name: 'Innsyn i logg' })).toBeVisible();
  await expectPageAccessible(page, testInfo, 'innsyn i logg', reportPage);

  await reportPage.getByLabel('Fødselsnummer eller navn').fill('Hansen');
  await reportPage.getByRole('button', { name: 'Finn pasient' }).click();
  await reportPage.getByRole('button', { name: /^Velg Ola Hansen/ }).click();
  await reportPage.getByRole('button', { name: 'Vis oversikten' }).click();
  const table = page.getByTestId('access-report-table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'Lars Lege' }).filter({ hasText: 'Journal åpnet' }).first()).toBeVisible();
  await expect(table.getByRole('row').filter({ hasText: 'Pasientsøk' }).filter({ hasText: 'Ja, i liste' }).first()).toBeVisible();
  await expectPageAccessible(page, testInfo, 'innsyn i logg med oversikt', table);

  const downloading = page.waitForEvent('download');
  await reportPage.getByRole('button', { name: 'Skriv ut som PDF' }).click();
  await answerStepUpIfAsked(session, authenticator, page.getByText(/PDF-en er lastet ned/));
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^innsyn-i-logg-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.pdf$/);
  const pdfPath = testInfo.outputPath('innsyn.pdf');
  await download.saveAs(pdfPath);
  expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
  expect(text).toContain('Innsyn i logg: Hansen, Ola');
  expect(text).toContain('Lars Lege');

  // DPO-7: the registers; one activity edited in its modal.
  await page.goto(`${backend().url}/#/dpo/registers`);
  const registers = page.getByTestId('registers-page');
  await expect(registers.getByRole('heading', { level: 2, name: 'Protokoller' })).toBeVisible();
  const activities = page.getByTestId('activities-table');
  await expect(activities.getByText('Pasientjournal og helsehjelp')).toBeVisible();
  await expectPageAccessible(page, testInfo, 'protokoller', activities);
  await activities.getByRole('button', { name: 'Endre Pasientjournal og helsehjelp' }).click();
  const form = page.getByRole('dialog', { name: 'Endre behandlingsaktivitet' });
  await expect(form).toBeVisible();
  await form.getByLabel('Mottakere').fill('Annet helsepersonell med tjenstlig behov; fastlegen ved epikrise');
  await form.getByRole('button', { name: 'Lagre' }).click();
  await expect(form).toBeHidden();
  await expect(page.getByText('Lagret.')).toBeVisible();
  await page.getByRole('tab', { name: 'Databehandlere' }).click();
  await expect(page.getByTestId('processors-table').getByText('Link Mobility AS')).toBeVisible();
  await expectPageAccessible(page, testInfo, 'databehandlere', page.getByTestId('processors-table'));

  // DPO-6: the retention page with the dry run.
  await page.goto(`${backend().url}/#/dpo/retention`);
  const retention = page.getByTestId('retention-page');
  await expect(retention.getByRole('heading', { level: 2, name: 'Sletteplan' })).toBeVisible();
  const dryRun = page.getByTestId('retention-dry-run');
  await expect(dryRun.getByText('Bestillinger av hjemmebesøk', { exact: true })).toBeVisible();
  // DPO-6: inactive accounts and correspondence are run by the schedule too, and the fixed periods say so.
  await expect(dryRun.getByText('Inaktive brukerkontoer', { exact: true })).toBeVisible();
  await expect(dryRun.getByText('Korrespondanse i CRM', { exact: true })).toBeVisible();
  await expect(page.getByTestId('retention-warnings-user.inactive_account')).toContainText('Varsles nå');
  await expect(page.getByTestId('retention-fixed-inactive_account')).toContainText('Ja, som «Inaktive brukerkontoer»');
  // The audit log beside the registry's categories: nothing in the demo is ten years old.
  await expect(dryRun.getByTestId('retention-dry-run-audit-log')).toContainText('Logghendelser eldre enn ti år');
  await expect(page.getByTestId('retention-days-bookingRetentionDays').getByRole('textbox').or(page.getByTestId('retention-days-bookingRetentionDays'))).toHaveValue('7');
  await expectPageAccessible(page, testInfo, 'sletteplan', dryRun);
});
