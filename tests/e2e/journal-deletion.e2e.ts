import { expect, test } from '@playwright/test';
import { Authenticator } from './support/authenticator';
import { BackendProcess } from './support/backend-process';
import { openPatient } from './support/journal';
import { answerStepUpIfAsked, logInAsDemoUser } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * JRN-4 end to end (helsepersonelloven § 43): the demo's deleted note shows in Kari's record as a
 * decision without its text; Lars deletes Åse's note by a documented decision — errors beside their
 * fields first, then the irreversible deletion with step-up — and the record shows the fact only.
 */

const LARS = 'lege@demo.journalkontor.no';

let backend: BackendProcess;
const authenticator = new Authenticator();

test.describe.serial('journal deletion by decision', () => {
  test.beforeAll(async () => {
    backend = await BackendProcess.create();
    await backend.start();
  });

  test.afterAll(async () => {
    await backend?.dispose();
  });

  test('JRN-4: Lars deletes a note by a documented decision; the record keeps the decision, not the text', async ({ browser }, testInfo) => {
    test.setTimeout(120_000);
    const session = await logInAsDemoUser(browser, backend, authenticator, LARS);
    const { page } = session;

    // The demo's case: a note deleted from Kari's journal, shown as a decision without its text.
    await openPatient(page, 'Nordmann', 'Nordmann, Kari');
    const kariDeletions = page.getByTestId('deletion-record');
    await expect(kariDeletions).toHaveCount(1);
    await expect(kariDeletions).toContainText(/Et notat ble slettet \d{2}\.\d{2}\.\d{4} etter slettevedtak av Lars Lege: uriktige eller misvisende opplysninger \(§ 43\)\./);
    await expect(kariDeletions).toContainText('Vedtaket ble fattet av forfatteren selv.');
    await expect(page.getByTestId('journal-deletions')).not.toContainText('prøvesvar');

    // Åse's only note: Lars deletes it.
    await openPatient(page, 'Ødegård', 'Ødegård, Åse');
    const notes = page.getByTestId('note-card');
    await expect(notes).toHaveCount(1);
    await expect(page.getByTestId('deletion-record')).toHaveCount(0);
    await notes.first().getByRole('button', { name: /Handlinger for notatet/ }).click();
    await page.getByRole('menuitem', { name: 'Slett etter vedtak (§ 43)' }).click();
    const modal = page.getByRole('dialog', { name: 'Slett notat etter slettevedtak (helsepersonelloven § 43)' });
    await expect(modal.getByTestId('deletion-warning')).toContainText('Sletting kan ikke angres');
    // Lars wrote the note: the consultation says so by itself.
    await expect(modal.getByRole('radio', { name: 'Jeg skrev notatet selv' })).toBeChecked();

    // Nothing chosen or confirmed: each field says what is missing, and nothing is sent.
    await modal.getByRole('button', { name: 'Slett notatet for godt' }).click();
    await expect(modal.getByText('Velg grunnlaget for slettingen.')).toBeVisible();
    await expect(modal.getByText('Vilkåret må være oppfylt og bekreftet før notatet kan slettes.')).toHaveCount(2);
    await expect(modal.getByText('Begrunnelse for vedtaket må ha minst 20 tegn. Skriv hvorfor, ikke hva notatet sa.')).toBeVisible();
    await keepScreenshot(page, testInfo, 'journal-deletion-errors');

    await modal.getByRole('radio', { name: 'Opplysningene er åpenbart ikke nødvendige for å gi helsehjelp' }).check();
    await modal.getByRole('checkbox', { name: 'Slettingen er ubetenkelig ut fra allmenne hensyn' }).check();
    await modal.getByRole('checkbox', { name: 'Slettingen er ikke i strid med arkivloven' }).check();
    await modal.getByLabel('Begrunnelse for vedtaket').fill('Pasienten ba om sletting; notatet er ikke nødvendig for videre helsehjelp.');
    await keepScreenshot(page, testInfo, 'journal-deletion-form');
    await modal.getByRole('button', { name: 'Slett notatet for godt' }).click();
    const done = page.getByText('Notatet er slettet, og slettevedtaket er ført i journalen.');
    await answerStepUpIfAsked(session, authenticator, done);
    await expect(done).toBeVisible();
    await expect(modal).toBeHidden();

    // The note and its text are gone; the decision is shown in its place.
    await expect(notes).toHaveCount(0);
    const deletions = page.getByTestId('deletion-record');
    await expect(deletions).toHaveCount(1);
    await expect(deletions).toContainText(/Et notat ble slettet \d{2}\.\d{2}\.\d{4} etter slettevedtak av Lars Lege: opplysninger som åpenbart ikke var nødvendige \(§ 43\)\./);
    await expect(deletions).toContainText('1 versjon slettet.');
    await expect(page.locator('body')).not.toContainText('svimmel');
    await keepScreenshot(page, testInfo, 'journal-deletion-record');
    await page.context().close();
  });
});
