import { expect, test } from '@playwright/test';
import { DEMO_DSR_CASE_IDS } from '../../src/server/demo/dpo-cases-seed';
import { expectAccessible, expectPageAccessible } from './support/accessibility';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { answerStepUpIfAsked, logInAsDemoUser } from './support/login';

/**
 * DPO-5 end to end in Chromium against the real backend (demo mode): Eva Moen's erasure request
 * (received, identity verified) — Petter Personvernombud finds her data in every module, puts her
 * on legal hold and lifts it, dry-runs the erasure, cuts the waiting period short with a reason,
 * erases, and reads the report; axe on the panel in every state.
 */

const backend = backendForFile();
const authenticator = new Authenticator();
const DPO = 'personvern@demo.journalkontor.no';
const CASE_ID = DEMO_DSR_CASE_IDS.erasure;

test('DPO-5: an erasure request runs from receipt through the dry run to done, with its report', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  // The request as received: an erasure request with verified identity, not yet erased.
  const api = await apiAs(backend(), authenticator, DPO);
  const before = await api.dpo.erasure.report.query({ caseId: CASE_ID });
  expect(before.report).toBeNull();

  const session = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: `#/dpo/cases/${CASE_ID}` });
  const { page } = session;
  const panel = page.getByTestId('erasure-panel');
  await expectPageAccessible(page, testInfo, 'the erasure panel', panel.getByRole('heading', { name: 'Personens opplysninger og sletting' }));

  // The person's data in every module: her cancelled booking is found and will be anonymised; the register says what is kept.
  await panel.getByRole('button', { name: 'Finn personens opplysninger' }).click();
  const bookings = panel.getByTestId('person-data-visit_booking');
  await expect(bookings.getByRole('row').filter({ hasText: 'Bestilling' })).toHaveCount(1);
  await expect(bookings.getByRole('row').filter({ hasText: 'Bestilling' })).toContainText('Anonymiseres');
  await expect(panel.getByTestId('retention-register')).toContainText('Helsepersonelloven §§ 39–44');
  await expect(panel.getByTestId('retention-register')).toContainText('Bokføringsloven § 13');
  await expectPageAccessible(page, testInfo, 'the person’s data', bookings, { name: 'dpo-erasure-found' });

  // A legal hold on her: listed, and lifted again.
  const holds = panel.getByTestId('legal-holds');
  await holds.getByLabel('Årsak til slettestopp').selectOption('complaint');
  await holds.getByRole('button', { name: 'Sett slettestopp for personen' }).click();
  await expect(holds.getByRole('row').filter({ hasText: 'Klage' })).toContainText('I kraft');
  await expectAccessible(page, 'a legal hold in force');
  await holds.getByRole('button', { name: /^Opphev slettestopp satt/ }).click();
  await expect(holds.getByRole('row').filter({ hasText: 'Klage' })).toContainText('Opphevet');

  // The dry run: what the erasure will do, per module.
  const plan = panel.getByTestId('erasure-plan');
  await plan.getByRole('button', { name: 'Prøvekjør sletting' }).click();
  const planTable = plan.getByTestId('erasure-plan-table');
  await expect(planTable.getByRole('row', { name: /Bestillinger av hjemmebesøk/ })).toContainText('1');
  await expect(plan.getByText(/Ventetiden på 7 dager er over/)).toBeVisible();
  await expectPageAccessible(page, testInfo, 'the dry run', planTable, { name: 'dpo-erasure-plan' });

  // The waiting period, cut short deliberately with a reason; then the irreversible run.
  const erase = plan.getByRole('button', { name: 'Slett nå' });
  await expect(erase).toBeDisabled();
  await plan.getByLabel('Kutt ventetiden').check();
  await plan.getByLabel('Begrunnelse for å kutte ventetiden').fill('Personen har bedt om rask sletting og bekreftet i telefon.');
  await erase.click();
  const report = panel.getByTestId('erasure-report');
  await answerStepUpIfAsked(session, authenticator, report);
  await expect(report.getByRole('heading', { name: 'Slettingsrapport' })).toBeVisible();
  await expect(report.getByTestId('erasure-report-erased').getByRole('row', { name: /Bestillinger av hjemmebesøk/ })).toContainText('Anonymisert');
  await expect(report).toContainText('Ventetiden ble kuttet');
  await expectPageAccessible(page, testInfo, 'the erasure report', report, { name: 'dpo-erasure-report' });

  // Done: the booking holds none of her data, and the receipts are in the log.
  const after = await api.dpo.erasure.report.query({ caseId: CASE_ID });
  expect(after.report?.erased).toEqual([expect.objectContaining({ category: 'visit.booking', method: 'anonymised', count: 1 })]);
  const found = await api.dpo.erasure.find.query({ caseId: CASE_ID });
  expect(found.categories.find((category) => category.name === 'visit.booking')?.items).toEqual([]);
});
