import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible, expectPageAccessible } from './support/accessibility';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { answerStepUpIfAsked, logInAsDemoUser } from './support/login';

/**
 * DPO-5 and AUD-5 end to end in Chromium against the real backend (demo mode): Petter
 * Personvernombud prepares the access package of Ola Hansen's access request, withholds one item
 * with its legal ground, releases the package and downloads it as JSON (the withheld item is not
 * in it); then exports the log as JSON lines. Each state checked with axe (WCAG 2.1 AA).
 */

const backend = backendForFile();
const authenticator = new Authenticator();
const DPO = 'personvern@demo.journalkontor.no';
const OLA_ACCESS_REQUEST = 'd5a00000-0000-4000-8000-000000000001';

test('DPO-5, AUD-5: access package prepared, one item withheld, released and downloaded as JSON; the log exported as JSON lines', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const session = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: `#/dpo/cases/${OLA_ACCESS_REQUEST}`, acceptDownloads: true });
  const { page } = session;
  const panel = page.getByTestId('access-package-panel');
  await expectPageAccessible(page, testInfo, 'access package before preparing', panel.getByText('Ingen innsynspakke er laget ennå.'));

  // Prepare: everything found for Ola, sections per module.
  await panel.getByTestId('package-prepare').click();
  await expect(panel.getByTestId('package-status')).toHaveText('Utkast – til gjennomgang');
  await expect(panel.getByTestId('package-section-patient').getByTestId('package-item')).toHaveCount(1);
  await expectPageAccessible(page, testInfo, 'access package draft', panel.getByTestId('package-release'), { name: 'dpo-package-draft' });

  // Withhold one item with its legal ground: a journal note if Ola has one, else who saw the journal.
  const journalItems = panel.getByTestId('package-section-journal').getByTestId('package-item');
  const item = (await journalItems.count()) > 0 ? journalItems.first() : panel.getByTestId('package-section-accessLog').getByTestId('package-item').first();
  const itemId = await item.getAttribute('data-item-id');
  expect(itemId).toBeTruthy();
  await item.getByRole('button', { name: /^Hold tilbake/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Hold tilbake en oppføring' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Lovgrunnlag').selectOption('hpl_41_harm');
  await expectAccessible(page, 'withhold dialog');
  await dialog.getByTestId('redact-confirm').click();
  await expect(dialog).toBeHidden();
  await expect(panel.locator(`[data-item-id="${itemId}"]`)).toContainText('Holdes tilbake: Kan skade pasientens liv eller helse (helsepersonelloven § 41)');

  // Release, then download JSON (an export: a fresh second factor if the last is too old).
  await panel.getByTestId('package-release').click();
  await expect(panel.getByTestId('package-status')).toHaveText('Frigitt');
  await expectPageAccessible(page, testInfo, 'access package released', panel.getByTestId('package-download-json'), { name: 'dpo-package-released' });
  const downloading = page.waitForEvent('download');
  await panel.getByTestId('package-download-json').click();
  await answerStepUpIfAsked(session, authenticator, page.getByText(/^Lagret som /));
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^innsyn-dsr-\d{4}-\d{4,}-\d{4}-\d{2}-\d{2}\.json$/);
  const jsonPath = testInfo.outputPath('innsyn.json');
  await download.saveAs(jsonPath);
  const packageJson = JSON.parse(readFileSync(jsonPath, 'utf8')) as { kind: string; patient: { familyName: string }; withheld: { section: string; legalGround: string }[] };
  expect(packageJson).toMatchObject({ kind: 'journalkontor.access-package', patient: { familyName: 'Hansen' } });
  expect(packageJson.withheld).toEqual([{ section: expect.any(String), legalGround: 'hpl_41_harm' }]);
  expect(readFileSync(jsonPath, 'utf8')).not.toContain(itemId!);

  // AUD-5: the log as JSON lines, from the integrity page.
  await page.goto(`${backend().url}/#/dpo/integrity`);
  const card = page.getByTestId('log-export-card');
  await expectPageAccessible(page, testInfo, 'log export', card, { name: 'dpo-log-export' });
  await card.getByLabel('JSON-linjer (.jsonl)').check();
  const logDownloading = page.waitForEvent('download');
  await card.getByTestId('log-export-submit').click();
  await answerStepUpIfAsked(session, authenticator, page.getByText(/hendelser eksportert til/));
  const logDownload = await logDownloading;
  expect(logDownload.suggestedFilename()).toMatch(/^logg-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.jsonl$/);
  const logPath = testInfo.outputPath('logg.jsonl');
  await logDownload.saveAs(logPath);
  const events = readFileSync(logPath, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as { action: string; basis: string | null });
  expect(events.some((event) => event.action === 'dpo.package.exported')).toBe(true);
  expect(events.some((event) => event.action === 'dpo.package.prepared' && event.basis === 'dsr_case')).toBe(true);
});
