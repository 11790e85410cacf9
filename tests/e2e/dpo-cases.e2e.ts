import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { syntheticNationalId } from '../../src/server/demo/journal-seed';
import { addCalendarMonths } from '../../src/shared/dsr-deadline';
import { formatCalendarDate, osloCalendarDate } from '../../src/shared/oslo-time';
import { expectAccessible, expectPageAccessible } from './support/accessibility';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { openPatient } from './support/journal';
import { answerStepUpIfAsked, logInAsDemoUser } from './support/login';

/**
 * DPO-4, DPO-5 end to end in Chromium against the real backend (demo mode): the DPO registers an
 * access request (the duplicate step seen on the way), verifies the person's identity, moves the
 * case into work, extends the deadline once with a reason, and sees the new deadline in the list;
 * the demo's restriction request shows its restriction section; a rectification request is asked of
 * the clinician, who records the refusal in the journal, and the case shows the answer. axe on every
 * page and state.
 */

const backend = backendForFile();
const authenticator = new Authenticator();
const DPO = 'personvern@demo.journalkontor.no';
const LEGE = 'lege@demo.journalkontor.no';
const RESTRICTION_CASE = 'd5a00000-0000-4000-8000-000000000003';
/** Ola Hansen, the demo's second patient, whom Lars Lege treats (src/server/demo/journal-seed.ts). */
const OLA_NATIONAL_ID = syntheticNationalId('1982-03-02', 2, 'male');

const suffix = randomUUID().slice(0, 6);
const REQUESTER = `Aud Innsyn ${suffix}`;
const EMAIL = `aud.${suffix}@eksempel.no`;

test('DPO-4: an access request from receipt, through identity and work, to an extended deadline seen in the list', async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const today = osloCalendarDate(new Date());
  const deadline = addCalendarMonths(today, 1);
  const extended = addCalendarMonths(deadline, 2);

  const { page } = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: '#/dpo/cases' });
  const list = page.getByTestId('dsr-cases-page');
  await expectPageAccessible(page, testInfo, 'DSR cases list', list.getByTestId('dsr-cases-table'), { name: 'dpo-cases-list' });
  // The demo's restriction request is close to its deadline: said in words, not by colour alone.
  await expect(list.getByTestId('dsr-case-row').first()).toHaveAttribute('data-urgency', /overdue|due_soon/);

  // Ny begjæring.
  const register = async () => {
    await list.getByRole('button', { name: 'Ny begjæring' }).click();
    const form = page.getByTestId('new-dsr-case-form');
    await expect(form.getByRole('heading', { name: 'Ny begjæring fra en registrert' })).toBeVisible();
    await form.getByLabel('Navn').fill(REQUESTER);
    await form.getByLabel('E-post').fill(EMAIL);
    await form.getByLabel('Notat').fill('Ber om kopi av alt dere har registrert om meg.');
    return form;
  };
  let form = await register();
  await expectAccessible(page, 'new DSR case form');
  await form.getByRole('button', { name: 'Registrer begjæringen' }).click();

  const casePage = page.getByTestId('dsr-case-page');
  await expect(casePage.getByRole('heading', { level: 2, name: /DSR-\d{4}-\d{4,} – Innsyn/ })).toBeVisible();
  const reference = ((await casePage.getByRole('heading', { level: 2 }).textContent()) ?? '').split(' – ')[0] ?? '';
  expect(reference).toMatch(/^DSR-\d{4}-\d{4,}$/);
  await expect(casePage.getByTestId('dsr-deadline')).toContainText(formatCalendarDate(deadline));
  await expect(casePage.getByTestId('dsr-status')).toHaveText('Mottatt');
  await expect(casePage.getByTestId('erasure-panel')).toBeAttached();
  await expect(casePage.getByTestId('access-package-panel')).toBeAttached();
  await expectPageAccessible(page, testInfo, 'DSR case, received', casePage.getByTestId('dsr-identity'), { name: 'dpo-case-received' });
  // received → in review → in progress, the identity verified in between.
  const changeStatus = async (label: string) => {
    await casePage.getByRole('button', { name: `Sett til «${label}»` }).click();
    const modal = page.getByRole('dialog', { name: `Endre status til «${label}»` });
    await expect(modal).toBeVisible();
    await modal.getByRole('button', { name: 'Lagre' }).click();
    await expect(modal).toBeHidden();
    await expect(casePage.getByTestId('dsr-status')).toHaveText(label);
  };
  await changeStatus('Til vurdering');
  // Work needs the identity verified: offered, but not usable until it is.
  await expect(casePage.getByRole('button', { name: 'Sett til «Under behandling»' })).toBeDisabled();
  await casePage.getByTestId('dsr-identity').getByLabel('Hvordan ble identiteten bekreftet?').selectOption('bankid');
  await casePage.getByTestId('verify-identity').click();
  await expect(casePage.getByTestId('dsr-identity')).toContainText('Bekreftet med BankID av Petter Personvernombud');
  await changeStatus('Under behandling');

  // The extension: two months, with a reason; the person told today.
  await casePage.getByTestId('extend-deadline').click();
  const extendModal = page.getByRole('dialog', { name: 'Forleng fristen' });
  await extendModal.getByLabel('Forleng med').selectOption('2');
  await expect(extendModal.getByTestId('dsr-new-deadline')).toHaveText(`Ny frist blir ${formatCalendarDate(extended)}.`);
  await extendModal.getByLabel('Begrunnelse').fill('Begjæringen omfatter opplysninger i flere systemer.');
  await expectAccessible(page, 'DSR extension dialog');
  await extendModal.getByRole('button', { name: 'Forleng fristen' }).click();
  await expect(extendModal).toBeHidden();
  await expect(casePage.getByTestId('dsr-deadline')).toContainText(`${formatCalendarDate(extended)} (forlenget)`);
  await expect(casePage.getByTestId('extend-deadline')).toBeDisabled();
  await expect(casePage.getByTestId('dsr-steps')).toContainText('Fristen forlenget');
  await expectPageAccessible(page, testInfo, 'DSR case, in progress and extended', casePage.getByTestId('dsr-data-trail'), { name: 'dpo-case-extended' });

  // The list has it, with the new deadline.
  await casePage.getByRole('link', { name: /Alle begjæringer/ }).click();
  const row = list.getByTestId('dsr-case-row').filter({ hasText: reference });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`${formatCalendarDate(extended)} (forlenget)`);
  await expect(row.getByTestId('dsr-status')).toHaveText('Under behandling');

  // A second request of the same kind from the same e-mail: the duplicate step names the first.
  form = await register();
  await form.getByRole('button', { name: 'Registrer begjæringen' }).click();
  const duplicates = form.getByTestId('dsr-duplicates');
  await expect(duplicates).toContainText(reference);
  await expectAccessible(page, 'new DSR case form, duplicate warning');
  await form.getByRole('button', { name: 'Avbryt' }).click();
  await expect(list.getByTestId('dsr-case-row').filter({ hasText: REQUESTER })).toHaveCount(1);
});

test('DPO-5: the demo restriction request shows its restriction section, and the DPO restricts CRM processing', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const { page } = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: `#/dpo/cases/${RESTRICTION_CASE}` });
  const casePage = page.getByTestId('dsr-case-page');
  const section = casePage.getByTestId('dsr-restriction');
  await expectPageAccessible(page, testInfo, 'DSR restriction case', section, { name: 'dpo-case-restriction' });
  if ((await section.getByTestId('lift-restriction').count()) === 0) {
    await section.getByLabel('Bedriftskunder (CRM)').check();
    await section.getByTestId('set-restriction').click();
  }
  await expect(section).toContainText('Gjelder fra');
  await expectAccessible(page, 'DSR restriction case, restriction in force');
});

test('DPO-4, JRN-4: a rectification request is asked of the treating clinician, who records the refusal in the journal; the case shows the answer', async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  const change = `Ola skriver at ryggsmertene ikke kom av flytting (${suffix}).`;
  // The request registered, linked to Ola's journal and his identity verified (through the API, as the case page does).
  const dpoApi = await apiAs(backend(), authenticator, DPO);
  const created = await dpoApi.dpo.cases.create.mutate({ kind: 'rectification', receivedOn: osloCalendarDate(new Date()), channel: 'letter', requesterName: 'Ola Hansen', nationalId: OLA_NATIONAL_ID, confirmNotDuplicate: true });
  const caseId = created.id as string;
  const linked = await dpoApi.dpo.cases.linkPatient.mutate({ caseId, version: 1 });
  await dpoApi.dpo.cases.verifyIdentity.mutate({ caseId, version: linked.version, method: 'signed_letter' });

  const { page } = await logInAsDemoUser(browser, backend(), authenticator, DPO, { hash: `#/dpo/cases/${caseId}` });
  const casePage = page.getByTestId('dsr-case-page');
  const panel = casePage.getByTestId('dsr-rectification');
  await expectPageAccessible(page, testInfo, 'DSR rectification case', panel.getByTestId('correction-assignee'), { name: 'dpo-case-rectification' });
  await panel.getByTestId('correction-assignee').selectOption({ label: 'Lars Lege (behandler pasienten)' });
  await panel.getByTestId('correction-text').fill(change);
  await panel.getByTestId('correction-submit').click();
  await expect(panel.getByTestId('dsr-correction')).toHaveAttribute('data-status', 'open');
  await expect(casePage.getByTestId('dsr-steps')).toContainText('Retting av journalen etterspurt hos behandler');
  await expectAccessible(page, 'DSR rectification case, correction asked');

  // Lars sees the request in Ola's journal and records the refusal there.
  const lars = await logInAsDemoUser(browser, backend(), authenticator, LEGE);
  await openPatient(lars.page, 'Hansen', 'Hansen, Ola');
  const requests = lars.page.getByTestId('correction-requests');
  await expect(requests).toContainText(change);
  await expect(requests).toContainText('til deg');
  await expectAccessible(lars.page, 'journal with a correction request');
  await requests.getByTestId('correction-refuse').click();
  const dialog = lars.page.getByRole('dialog', { name: 'Registrer avslått anmodning om retting' });
  await expect(dialog.getByLabel('Hva pasienten ba om')).toHaveValue(change);
  await dialog.getByLabel('Begrunnelse for avslaget').fill('Notatet gjengir det pasienten fortalte ved konsultasjonen.');
  await expectAccessible(lars.page, 'refusal dialog answering a correction request');
  await dialog.getByRole('button', { name: 'Registrer og signer' }).click();
  await answerStepUpIfAsked(lars, authenticator, lars.page.getByText('Den avslåtte anmodningen er ført i journalen.'));
  await expect(dialog).toBeHidden();
  await expect(requests).toHaveCount(0);

  // The case has the answer (opened again from the list: the session lives in the page, so no reload).
  await casePage.getByRole('link', { name: /Alle begjæringer/ }).click();
  await page.getByTestId('dsr-cases-page').getByRole('link', { name: created.reference as string }).click();
  await expect(panel.getByTestId('dsr-correction')).toHaveAttribute('data-status', 'refused');
  await expect(casePage.getByTestId('dsr-steps')).toContainText('Retting avslått og journalført');
});
