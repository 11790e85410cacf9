import { type Browser, expect, type Page, test } from '@playwright/test';
import { expectAccessible, expectPageAccessible } from './support/accessibility';
import { apiAs } from './support/api';
import { Authenticator } from './support/authenticator';
import { backendForFile } from './support/file-backend';
import { fillLoginForm } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * PLAT-11: WCAG 2.1 AA. axe-core (support/accessibility.ts) on every main page, signed out and in
 * each role. The DPO's tools are checked here as they open, and in the states they reach by their
 * own end-to-end tests (dpo-*.e2e.ts).
 */

const backend = backendForFile();
const authenticator = new Authenticator();

test.describe.configure({ mode: 'serial' });

async function newPage(browser: Browser, options: { clock?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
  const page = await context.newPage();
  // The idle lock runs on the page's timers: a clock the test can move shows the lock screen at once.
  if (options.clock) await page.clock.install();
  return page;
}

async function logIn(browser: Browser, email: string, options: { clock?: boolean } = {}): Promise<Page> {
  const page = await newPage(browser, options);
  await page.goto(backend().url);
  await fillLoginForm(page, authenticator, await backend().demoLogin(email));
  await expect(page.getByTestId('user-menu')).toBeVisible();
  // The new-device notice is checked once (in the clinician's test), then closed so it covers no page.
  await closeNotice(page);
  return page;
}

/** Closes the new-device notice if it is still there (it closes itself after 15 s), so it covers no page. */
async function closeNotice(page: Page): Promise<void> {
  const close = page.locator('.mantine-Notification-root').getByRole('button', { name: 'Lukk' });
  if (await close.isVisible()) await close.click();
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0);
}

async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => {
    window.location.hash = target;
  }, hash);
}

test('PLAT-11: signed out: the login page, a valid and an invalid invitation, and the status page', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const page = await newPage(browser);
  await page.goto(backend().url);
  await expect(page.getByTestId('login-page').getByLabel('E-post')).toBeFocused();
  await expectAccessible(page, 'login');
  await keepScreenshot(page, testInfo, 'a11y-login');

  // The second step of the login form, with its code field.
  const { password } = await backend().demoLogin('salg@demo.journalkontor.no');
  await page.getByTestId('login-page').getByLabel('E-post').fill('salg@demo.journalkontor.no');
  await page.getByTestId('login-page').getByRole('textbox', { name: 'Passord', exact: true }).fill(password);
  await page.getByTestId('login-page').getByRole('button', { name: 'Logg inn' }).click();
  await expectPageAccessible(page, testInfo, 'login, code step', page.getByTestId('login-page').getByLabel('Kode fra autentiseringsappen'));

  await goTo(page, '#/status');
  await expectPageAccessible(page, testInfo, 'status', page.getByTestId('status-table'));

  await page.goto(`${backend().url}/#/invitation/${'A'.repeat(43)}`);
  await expectPageAccessible(page, testInfo, 'invitation, invalid', page.getByTestId('invitation-invalid'));

  // A real invitation, made through the API and read from the demo outbox.
  const admin = await apiAs(backend(), authenticator, 'admin@demo.journalkontor.no');
  await admin.users.invite.mutate({ displayName: 'Una Universell', email: 'una@example.test', phone: '+4790000099', roles: ['coordinator'] });
  const outbox = await admin.developer.outbox.query();
  const token = outbox.map((message) => /#\/invitation\/([A-Za-z0-9_-]{20,200})/.exec(message.body)?.[1]).find((found) => found !== undefined);
  expect(token).toBeDefined();
  await page.goto(`${backend().url}/#/invitation/${token}`);
  await expectPageAccessible(page, testInfo, 'invitation', page.getByTestId('invitation-wizard'), { name: 'a11y-invitation' });
});

test("PLAT-11: a clinician's pages: the start page, the calendar, journal search with results, a patient's notes and sharing, own activity, the lock screen", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const page = await newPage(browser, { clock: true });
  await page.goto(backend().url);
  await fillLoginForm(page, authenticator, await backend().demoLogin('lege@demo.journalkontor.no'));
  const notice = page.locator('.mantine-Notification-root', { hasText: 'Ny enhet registrert' });
  await expectPageAccessible(page, testInfo, 'start page, with the new-device notice', notice);
  await closeNotice(page);
  await expectPageAccessible(page, testInfo, 'start page (JRN-6)', page.getByTestId('start-appointments'), { name: 'a11y-start' });

  await goTo(page, '#/consultations');
  await expectPageAccessible(page, testInfo, 'consultation calendar (JRN-6)', page.getByTestId('calendar'), { name: 'a11y-consultations' });
  await goTo(page, '#/journal');

  await page.getByLabel('Søk etter pasient').fill('Nordmann');
  await page.getByRole('button', { name: 'Søk', exact: true }).click();
  await expectPageAccessible(page, testInfo, 'journal search results', page.getByTestId('search-results'), { name: 'a11y-journal-search' });

  await page.getByTestId('search-results').getByRole('link', { name: 'Nordmann, Kari' }).click();
  await expect(page.getByTestId('patient-header')).toBeVisible();
  await expectPageAccessible(page, testInfo, "a patient's journal, notes", page.getByTestId('note-card').first(), { name: 'a11y-journal-notes', fullPage: false });

  await page.getByRole('tab', { name: 'Deling og sperring' }).click();
  await expectPageAccessible(page, testInfo, "a patient's journal, sharing", page.getByTestId('sharing-panel'), { name: 'a11y-journal-sharing' });

  await goTo(page, '#/activity');
  await expectPageAccessible(page, testInfo, 'activity', page.getByTestId('activity-table'));

  await page.clock.fastForward('16:00');
  const lock = page.getByRole('dialog', { name: 'Skjermen er låst' });
  await expectPageAccessible(page, testInfo, 'lock screen', lock, { name: 'a11y-lock-screen' });
});

test('PLAT-11: the admin page and the developer outbox', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const page = await logIn(browser, 'admin@demo.journalkontor.no');
  await expectPageAccessible(page, testInfo, 'admin', page.getByTestId('users-table'), { name: 'a11y-admin' });

  await goTo(page, '#/developer');
  await expectPageAccessible(page, testInfo, 'developer outbox', page.getByTestId('outbox-table'));
});

test('PLAT-11, VIS-3: the dispatch board, the new-booking form and a booking', async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const page = await logIn(browser, 'koordinator@demo.journalkontor.no');
  await expectPageAccessible(page, testInfo, 'dispatch board', page.getByTestId('dispatch-page'), { name: 'a11y-dispatch' });

  await page.getByRole('button', { name: 'Ny bestilling' }).click();
  const intake = page.getByRole('dialog', { name: 'Ny bestilling av hjemmebesøk' });
  // The form with its field errors showing, as a coordinator meets it after a hasty submit.
  await intake.getByRole('button', { name: 'Registrer bestillingen' }).click();
  await expectPageAccessible(page, testInfo, 'new booking with errors', intake.getByText('Fullt navn må fylles ut.'));
  await page.keyboard.press('Escape');
  await expect(intake).toBeHidden();

  // The demo's day has bookings; one of them opens in the drawer.
  const open = page.getByTestId('board-booking').getByTitle('Vis bestillingen').first();
  if ((await open.count()) > 0) {
    await open.click();
    await expectPageAccessible(page, testInfo, 'booking drawer', page.getByTestId('booking-drawer'), { name: 'a11y-dispatch-booking' });
  }
  await page.context().close();
});

test("PLAT-11, VIS-3: the doctor's visits", async ({ browser }, testInfo) => {
  test.setTimeout(120_000);
  const page = await logIn(browser, 'lege@demo.journalkontor.no');
  await goTo(page, '#/visits');
  await expectPageAccessible(page, testInfo, "doctor's visits", page.getByTestId('my-visits-page'), { name: 'a11y-my-visits' });
  await page.context().close();
});

test("PLAT-11, CRM-1, CRM-2, CRM-3: the CRM — companies, a company's tabs and forms, my tasks, the pipeline", async ({ browser }, testInfo) => {
  test.setTimeout(240_000);
  // A company of our own, with a contact whose consent is withdrawn (the red warning), an activity,
  // an overdue task and a status history: every part of the pages shows, whatever the demo holds.
  const sales = await apiAs(backend(), authenticator, 'salg@demo.journalkontor.no');
  const company = await sales.crm.createCompany.mutate({ name: 'Universell Utforming AS', organisationNumber: '923609016', city: 'Oslo', status: 'lead' });
  await sales.crm.setCompanyStatus.mutate({ companyId: company.id, status: 'prospect', version: company.version });
  const contact = await sales.crm.createContact.mutate({
    companyId: company.id,
    fullName: 'Una Tilgjengelig',
    email: 'una@universell.example',
    phone: '22334455',
    bases: [{ purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Svarte ja på e-post om nyhetsbrev' }],
  });
  await sales.crm.createContact.mutate({
    companyId: company.id,
    fullName: 'Ivar Innkjøp',
    bases: [{ purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Proff.no, innkjøpsansvarlig' }],
  });
  await sales.crm.logActivity.mutate({ companyId: company.id, contactId: contact.id, kind: 'email', purpose: 'newsletter', summary: 'Sendte nyhetsbrevet for desember', occurredAt: new Date(Date.now() - 86_400_000).toISOString() });
  await sales.crm.withdrawConsent.mutate({ contactId: contact.id, purpose: 'all', evidence: 'Ringte og ba om å slippe e-post' });
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
  await sales.crm.createTask.mutate({ companyId: company.id, title: 'Følg opp tilbudet', dueOn: yesterday });

  const page = await logIn(browser, 'salg@demo.journalkontor.no');
  await expectPageAccessible(page, testInfo, 'CRM companies', page.getByTestId('companies-table'), { name: 'a11y-crm-companies' });

  await page.getByLabel('Søk etter bedrift eller kontaktperson').fill('Universell');
  const row = page.getByTestId('company-row').filter({ hasText: 'Universell Utforming AS' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('923 609 016');
  await row.getByRole('link', { name: 'Universell Utforming AS' }).click();

  await expect(page.getByTestId('company-header')).toContainText('923 609 016');
  const blocked = page.getByTestId('contact-card').filter({ hasText: 'Una Tilgjengelig' }).getByTestId('contact-blocked');
  await expectPageAccessible(page, testInfo, 'CRM company, contacts with a withdrawn consent', blocked, { name: 'a11y-crm-contacts' });

  await page.getByRole('button', { name: 'Endre status' }).click();
  await expectPageAccessible(page, testInfo, 'CRM company, status menu', page.getByRole('menuitem', { name: 'Sett status til Kunde' }));
  await page.keyboard.press('Escape');

  await page.getByRole('tab', { name: 'Aktiviteter' }).click();
  await expect(page.getByTestId('activity-item').first()).toContainText('Sendte nyhetsbrevet');
  // The refusal for a contact who withdrew consent, in words, as a salesperson meets it.
  const form = page.getByTestId('activity-form');
  await form.getByLabel('Kontaktperson').selectOption({ label: 'Una Tilgjengelig (Ingen behandling tillatt)' });
  await form.getByLabel('Formål').selectOption({ label: 'Nyhetsbrev' });
  await form.getByLabel('Sammendrag').fill('Ringte om nyhetsbrevet');
  await form.getByRole('button', { name: 'Logg aktiviteten' }).click();
  await expectPageAccessible(page, testInfo, 'CRM company, activity refused for a blocked contact', form.getByRole('alert'), { name: 'a11y-crm-activities' });

  await page.getByRole('tab', { name: /Oppgaver/ }).click();
  await expectPageAccessible(page, testInfo, 'CRM company, tasks', page.getByTestId('task-overdue').first());
  await page.getByRole('button', { name: 'Ny oppgave' }).click();
  const taskForm = page.getByRole('dialog', { name: 'Ny oppgave' });
  await taskForm.getByRole('button', { name: 'Opprett oppgaven' }).click();
  await expectPageAccessible(page, testInfo, 'CRM new task with errors', taskForm.getByText('Hva skal gjøres må fylles ut.'));
  await page.keyboard.press('Escape');

  // The status menu offers only the allowed changes; a customer gets the agreement and employees tab (CRM-4).
  await page.getByRole('button', { name: 'Endre status' }).click();
  await page.getByRole('menuitem', { name: 'Sett status til Kunde' }).click();
  await expect(page.getByTestId('company-header').getByTestId('company-status')).toHaveAttribute('data-status', 'customer');
  await page.getByRole('tab', { name: 'Avtale og ansatte' }).click();
  await expectPageAccessible(page, testInfo, 'CRM company, agreement and employees', page.getByTestId('portal-tab'), { name: 'a11y-crm-portal' });

  await page.getByRole('tab', { name: 'Historikk' }).click();
  await expectPageAccessible(page, testInfo, 'CRM company, status history', page.getByTestId('status-history'), { name: 'a11y-crm-history' });

  await goTo(page, '#/crm');
  await page.getByRole('button', { name: 'Ny bedrift' }).click();
  const companyForm = page.getByRole('dialog', { name: 'Ny bedrift' });
  await companyForm.getByLabel('Organisasjonsnummer').fill('923609017');
  await companyForm.getByRole('button', { name: 'Registrer bedriften' }).click();
  await expectPageAccessible(page, testInfo, 'CRM new company with errors', companyForm.getByText('Navn må fylles ut.'), { name: 'a11y-crm-new-company' });
  await page.keyboard.press('Escape');

  await goTo(page, '#/crm/tasks');
  await expectPageAccessible(page, testInfo, 'CRM my tasks', page.getByTestId('tasks-overdue'), { name: 'a11y-crm-my-tasks' });

  await goTo(page, '#/crm/pipeline');
  await expectPageAccessible(page, testInfo, 'CRM pipeline', page.getByTestId('pipeline-table'), { name: 'a11y-crm-pipeline' });
  await page.context().close();
});

test("PLAT-11: the DPO's workspace: every tool as it opens", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const page = await logIn(browser, 'personvern@demo.journalkontor.no');
  for (const section of ['flags', 'log', 'access-report', 'cases', 'retention', 'registers', 'integrity']) {
    if (section !== 'flags') await goTo(page, `#/dpo/${section}`);
    const workspace = page.locator(`[data-testid="dpo-workspace"][data-section="${section}"]`);
    await expectPageAccessible(page, testInfo, `dpo ${section}`, workspace.getByRole('heading', { level: 2 }), { name: `a11y-dpo-${section}` });
  }
  await page.context().close();
});
