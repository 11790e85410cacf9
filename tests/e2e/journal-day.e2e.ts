import { expect, test } from '@playwright/test';
import { Authenticator } from './support/authenticator';
import { BackendProcess } from './support/backend-process';
import { openPatient } from './support/journal';
import { answerStepUpIfAsked, logInAsDemoUser } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * The clinician's day inside one journal (issue 9): Lars writes a note from the consultation
 * template (JRN-7), saves it with Ctrl+Enter, signs it, finds it again by searching the journal's
 * text, sees what an amendment changed word by word (JRN-4), and the patient banner stays on
 * screen while the notes scroll.
 */

const LARS = 'lege@demo.journalkontor.no';

let backend: BackendProcess;
const authenticator = new Authenticator();

test.describe.serial("the clinician's day in a journal", () => {
  test.beforeAll(async () => {
    backend = await BackendProcess.create();
    await backend.start();
  });

  test.afterAll(async () => {
    await backend?.dispose();
  });

  test('JRN-7, JRN-2, JRN-3, JRN-4: a draft from the template, saved with Ctrl+Enter, signed, found by text search, amended with a word diff; the banner stays in view', async ({ browser }, testInfo) => {
    test.setTimeout(150_000);
    const session = await logInAsDemoUser(browser, backend, authenticator, LARS);
    const { page } = session;
    await openPatient(page, 'Nordmann', 'Nordmann, Kari');
    const banner = page.getByTestId('patient-banner');
    await expect(banner).toContainText('Nordmann, Kari');
    await expect(banner).toContainText(/\d{6} \d{5}/);
    await expect(banner).toContainText(/\d+ år/);
    await expect(banner.getByTestId('access-basis')).toHaveText('Behandlingsrelasjon');

    // JRN-7: the new draft starts from the consultation template's headings.
    await page.getByRole('button', { name: 'Nytt notat' }).click();
    const editor = page.getByTestId('draft-editor');
    const text = editor.getByLabel('Tekst');
    await expect(text).toHaveValue(/^Anamnese:[\s\S]*Funn:[\s\S]*Vurdering:[\s\S]*Tiltak:/);
    await text.fill((await text.inputValue()).replace('Anamnese:\n', 'Anamnese:\nSvimmelhet ved oppreising, startet Amlodipin for to uker siden.\n'));
    // Ctrl+Enter saves at once, without waiting for the autosave's pause.
    await text.press('Control+Enter');
    await expect(editor.getByTestId('autosave-status')).toHaveText(/^Lagret \d{2}:\d{2}$/);
    await keepScreenshot(page, testInfo, 'journal-day-template-draft');
    await editor.getByRole('button', { name: 'Signer' }).click();
    await answerStepUpIfAsked(session, authenticator, page.getByText('Notatet er signert.'));
    await expect(page.getByText('Notatet er signert.')).toBeVisible();

    // JRN-2: the journal's text search finds the note (every word, any case); a miss says so.
    const notes = page.getByTestId('note-card');
    const search = page.getByTestId('note-search');
    await search.fill('amlodipin svimmelhet');
    await search.press('Enter');
    await expect(notes).toHaveCount(1);
    await expect(notes.first()).toContainText('Svimmelhet ved oppreising');
    await keepScreenshot(page, testInfo, 'journal-day-search');
    await search.fill('ordsomikkefinnes');
    await search.press('Enter');
    await expect(notes).toHaveCount(0);
    await expect(page.getByText('Ingen notater passer til filteret.')).toBeVisible();
    await page.getByRole('button', { name: 'Nullstill filter' }).click();
    await expect(notes.filter({ hasText: 'Svimmelhet ved oppreising' })).toHaveCount(1);

    // JRN-4: an amendment's history shows the changed words, not only both texts.
    const ours = notes.filter({ hasText: 'Svimmelhet ved oppreising' });
    await ours.getByRole('button', { name: /Handlinger for notatet/ }).click();
    await page.getByRole('menuitem', { name: 'Rett notat' }).click();
    const amend = page.getByRole('dialog', { name: 'Rett notat' });
    const newText = amend.getByLabel('Ny tekst');
    // Unchanged text is refused beside the field.
    await amend.getByLabel('Begrunnelse for rettingen').fill('Feil legemiddel ført opp.');
    await amend.getByRole('button', { name: 'Rett og signer' }).click();
    await answerStepUpIfAsked(session, authenticator, amend.getByText('Teksten er lik gjeldende versjon. Endre teksten, eller avbryt rettingen.'));
    await expect(amend.getByText('Teksten er lik gjeldende versjon. Endre teksten, eller avbryt rettingen.')).toBeVisible();
    await newText.fill((await newText.inputValue()).replace('Amlodipin', 'Enalapril'));
    await amend.getByRole('button', { name: 'Rett og signer' }).click();
    await answerStepUpIfAsked(session, authenticator, page.getByText('Notatet er rettet.'));
    await expect(page.getByText('Notatet er rettet.')).toBeVisible();
    await notes.filter({ hasText: 'Enalapril' }).getByRole('button', { name: 'Historikk' }).click();
    const history = page.getByRole('dialog', { name: 'Historikk for notatet' });
    const diff = history.getByTestId('history-diff');
    await expect(diff.getByTestId('diff-removed')).toHaveText(/Amlodipin/);
    await expect(diff.getByTestId('diff-added')).toHaveText(/Enalapril/);
    await keepScreenshot(page, testInfo, 'journal-day-diff');
    await page.keyboard.press('Escape');
    await expect(history).toBeHidden();

    // The banner stays under the header while the page scrolls past the patient's details.
    await page.setViewportSize({ width: 1280, height: 520 });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await expect(page.getByTestId('patient-header').getByRole('heading', { name: 'Kari Nordmann' })).not.toBeInViewport();
    await expect(banner).toBeInViewport();
    const top = (await banner.boundingBox())?.y ?? -1;
    expect(top).toBeGreaterThanOrEqual(55);
    expect(top).toBeLessThan(80);
    await keepScreenshot(page, testInfo, 'journal-day-banner-scrolled');
    await page.context().close();
  });
});
