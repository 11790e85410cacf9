import { type Browser, expect, type Page, test } from '@playwright/test';
import { Authenticator } from './support/authenticator';
import { BackendProcess, E2E_STEP_UP_WINDOW_SECONDS } from './support/backend-process';
import { fillLoginForm } from './support/login';
import { keepScreenshot } from './support/screenshot';

/**
 * Two-factor login end to end in Chromium against the real backend (demo mode): an admin invites a
 * clinician, the clinician follows the e-mail link and the SMS code (read from the demo outbox),
 * enrols, logs in, reads their own activity and meets the idle lock; then the admin resets the
 * clinician's second factor behind a step-up, and the clinician enrols anew.
 */

const ADMIN_EMAIL = 'admin@demo.journalkontor.no';
const STEP_UP_WINDOW_MS = E2E_STEP_UP_WINDOW_SECONDS * 1000;
let backend: BackendProcess;
const authenticator = new Authenticator();

/** The clinician test (a) creates, and test (b) resets; unique per run. */
const suffix = Date.now().toString(36);
const invitee = {
  name: 'Nina Nylege',
  email: `nina.nylege.${suffix}@demo.journalkontor.no`,
  phone: `+47 9${String(Date.now()).slice(-7)}`,
  password: 'Blåbær i fjellet hver høst',
  totpSecret: '',
};

/**
 * The admin's page lives across both tests: test (b) needs a session whose second factor is older
 * than the step-up window (AUTH-5; shortened for this backend), and the server's clock is real.
 */
let adminPage: Page;
let adminLoggedInAt = 0;

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
  return context.newPage();
}

function logIn(page: Page, email: string, password: string, totpSecret: string): Promise<void> {
  return fillLoginForm(page, authenticator, { email, password, totpSecret });
}

async function logOut(page: Page): Promise<void> {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: 'Logg ut' }).click();
  await expect(page.getByTestId('session-notice')).toHaveText('Du er logget ut.');
}

test.describe.serial('two-factor login', () => {
  test.beforeAll(async () => {
    backend = await BackendProcess.create();
    await backend.start();
  });

  test.afterAll(async () => {
    await adminPage?.context().close();
    await backend?.dispose();
  });

  test('AUTH-1: an unknown or malformed invitation link says so plainly, and offers nothing else', async ({ page }) => {
    await page.goto(`${backend.url}/#/invitation/${'A'.repeat(43)}`);
    await expect(page.getByTestId('invitation-invalid')).toHaveText(/Invitasjonslenken er ugyldig, utløpt eller allerede brukt/);
    await page.goto(`${backend.url}/#/invitation/not-a-token`);
    await expect(page.getByTestId('invitation-invalid')).toBeVisible();
    await expect(page.getByLabel('Kode fra SMS')).toHaveCount(0);
  });

  test('AUTH-1, AUTH-2, AUTH-3, AUTH-5, AUTH-6, AUD-7: admin invites a clinician, who enrols, logs in, sees own activity and is locked when idle', async ({
    browser,
    page,
  }, testInfo) => {
    test.setTimeout(120_000);
    const admin = await backend.demoLogin(ADMIN_EMAIL);

    // The admin logs in with password and TOTP; the browser has no keychain, so it is a new device (AUTH-6).
    adminPage = await newPage(browser);
    await adminPage.goto(`${backend.url}/#/admin`);
    await expect(adminPage.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Systemstatus' })).toBeVisible();
    await keepScreenshot(adminPage, testInfo, 'auth-login');
    // A wrong password says only that the login failed (AUTH-4).
    const login = adminPage.getByTestId('login-page');
    await login.getByLabel('E-post').fill(ADMIN_EMAIL);
    await login.getByRole('textbox', { name: 'Passord', exact: true }).fill('not-the-password');
    await login.getByRole('button', { name: 'Logg inn' }).click();
    await expect(login.getByTestId('login-error')).toHaveText('Innloggingen mislyktes');
    await logIn(adminPage, ADMIN_EMAIL, admin.password, admin.totpSecret);
    adminLoggedInAt = Date.now();
    await expect(adminPage.getByText('Ny enhet registrert')).toBeVisible();
    await expect(adminPage.getByTestId('user-menu')).toContainText('Ada Administrator');
    await expect(adminPage.getByTestId('user-menu')).toContainText('Administrator');

    // The user list, and the invitation form with a server field error beside its field (PLAT-6).
    const users = adminPage.getByTestId('users-table');
    await expect(users.locator('tr', { hasText: 'lege@demo.journalkontor.no' })).toContainText('Behandler');
    await keepScreenshot(adminPage, testInfo, 'auth-admin-users');
    await adminPage.getByRole('button', { name: 'Inviter bruker' }).click();
    const inviteForm = adminPage.getByRole('dialog', { name: 'Inviter bruker' });
    await inviteForm.getByLabel('Navn').fill(invitee.name);
    await inviteForm.getByLabel('E-post').fill('lege@demo.journalkontor.no');
    await inviteForm.getByLabel('Mobilnummer').fill(invitee.phone);
    await inviteForm.getByRole('checkbox', { name: 'Behandler' }).check();
    await inviteForm.getByRole('button', { name: 'Send invitasjon' }).click();
    // Checked before sending, with the same schema as the server: a clinician needs profession and HPR.
    await expect(inviteForm.getByText('Yrke må fylles ut.')).toBeVisible();
    await expect(inviteForm.getByText('HPR-nummer må fylles ut.')).toBeVisible();
    await inviteForm.getByLabel('Yrke').selectOption('lege');
    await inviteForm.getByLabel('HPR-nummer').fill('9876543');
    await inviteForm.getByRole('button', { name: 'Send invitasjon' }).click();
    await expect(inviteForm.getByText('Det finnes allerede en bruker med denne e-postadressen.')).toBeVisible();
    await keepScreenshot(adminPage, testInfo, 'auth-invite-field-error');
    await inviteForm.getByLabel('E-post').fill(invitee.email);
    await inviteForm.getByRole('button', { name: 'Send invitasjon' }).click();
    await expect(adminPage.getByText(`Invitasjon sendt til ${invitee.email}.`)).toBeVisible();
    await expect(users.locator('tr', { hasText: invitee.email })).toContainText('Invitert');

    // The demo outbox shows what a real provider would have delivered: the link by e-mail, the code by SMS (AUTH-1).
    await adminPage.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Utviklerverktøy: meldinger' }).click();
    const outbox = adminPage.getByTestId('outbox-table');
    const email = outbox.locator(`tr[data-channel="email"][data-recipient="${invitee.email}"]`);
    const sms = outbox.locator(`tr[data-channel="sms"][data-recipient="${invitee.phone.replace(/\s/g, '')}"]`).first();
    await expect(email).toBeVisible();
    await expect(sms).toBeVisible();
    await keepScreenshot(adminPage, testInfo, 'auth-outbox');
    const link = /#\/invitation\/([A-Za-z0-9_-]{20,200})/.exec(await email.getByTestId('outbox-body').innerText())?.[1];
    const smsCode = /\b(\d{6})\b/.exec(await sms.getByTestId('outbox-body').innerText())?.[1];
    expect(link).toBeTruthy();
    expect(smsCode).toBeTruthy();
    // The SMS carries the code and nothing of the link (AUTH-1: two channels).
    expect(await sms.innerText()).not.toContain(link);

    // The invitee opens the link in their own browser (with a clock the test can move, for the idle lock).
    await page.clock.install();
    await page.goto(`${backend.url}/#/invitation/${link}`);
    const wizard = page.getByTestId('invitation-wizard');
    await expect(wizard).toContainText(`${invitee.name} (${invitee.email}) er invitert til Journalkontor hos`);
    await wizard.getByLabel('Kode fra SMS').fill(smsCode ?? '');
    await wizard.getByRole('button', { name: 'Bekreft koden' }).click();
    await expect(wizard.getByTestId('totp-qr')).toBeVisible();
    invitee.totpSecret = (await wizard.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(invitee.totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    await keepScreenshot(page, testInfo, 'auth-invitation-enrolment');

    // AUTH-2: the password policy is the server's, shown beside the field.
    const firstCode = await authenticator.code(invitee.totpSecret);
    await wizard.getByLabel('Velg passord').fill('for kort');
    await wizard.getByLabel('Gjenta passordet').fill('for kort');
    await wizard.getByLabel('Første kode fra appen').fill(firstCode);
    await wizard.getByRole('button', { name: 'Opprett kontoen' }).click();
    await expect(wizard.getByText('Passordet må ha minst 12 tegn.')).toBeVisible();
    await wizard.getByLabel('Velg passord').fill(invitee.password);
    await wizard.getByLabel('Gjenta passordet').fill(invitee.password);
    await wizard.getByRole('button', { name: 'Opprett kontoen' }).click();

    // AUTH-3: ten recovery codes, kept before going on.
    const codes = wizard.getByTestId('recovery-code-list').getByRole('listitem');
    await expect(codes).toHaveCount(10);
    await keepScreenshot(page, testInfo, 'auth-recovery-codes');
    const toLogin = wizard.getByRole('button', { name: 'Gå til innlogging' });
    await expect(toLogin).toBeDisabled();
    await wizard.getByRole('checkbox', { name: 'Jeg har tatt vare på kodene' }).check();
    await toLogin.click();

    // The new account logs in with password and code; the e-mail is filled in already.
    await expect(page.getByTestId('login-page').getByLabel('E-post')).toHaveValue(invitee.email);
    await logIn(page, invitee.email, invitee.password, invitee.totpSecret);
    await expect(page.getByText('Ny enhet registrert')).toBeVisible();
    await expect(page.getByTestId('user-menu')).toContainText(invitee.name);
    await expect(page.getByTestId('user-menu')).toContainText('Behandler');

    // AUD-7: their own activity, the login events included, with the method of the session (AUTH-7).
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Min aktivitet' }).click();
    const activity = page.getByTestId('activity-table');
    const loginRow = activity.locator('tr[data-action="auth.login.success"]').first();
    await expect(loginRow).toContainText('Innlogging');
    await expect(loginRow).toContainText('Passord og kode');
    await expect(loginRow).toContainText(/\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}/);
    await expect(activity.locator('tr[data-action="auth.login.new_device"]')).toContainText('Innlogging fra ny enhet');
    await expect(activity.locator('tr[data-action="auth.invitation.accepted"]')).toContainText('Invitasjon godtatt');
    await keepScreenshot(page, testInfo, 'auth-my-activity');

    // AUTH-5, DESK-4: 15 idle minutes lock the screen; the password opens it; the page was there all along.
    const table = await activity.elementHandle();
    await page.clock.fastForward('16:00');
    const lock = page.getByRole('dialog', { name: 'Skjermen er låst' });
    await expect(lock).toBeVisible();
    await keepScreenshot(page, testInfo, 'auth-lock-screen');
    await lock.getByRole('textbox', { name: 'Passord', exact: true }).fill('not the password at all');
    await lock.getByRole('button', { name: 'Lås opp' }).click();
    await expect(lock.getByRole('alert')).toHaveText('Passordet ble ikke godtatt.');
    await lock.getByRole('textbox', { name: 'Passord', exact: true }).fill(invitee.password);
    await lock.getByRole('button', { name: 'Lås opp' }).click();
    await expect(lock).toBeHidden();
    expect(await table?.evaluate((element) => element.isConnected)).toBe(true);
    await expect(activity).toBeVisible();

    await logOut(page);
  });

  test('AUTH-3, AUTH-5: an admin resets a second factor behind a step-up; the next login enrols anew with new recovery codes', async ({
    page,
  }, testInfo) => {
    // A serial suite: this test resets the second factor the invitation test enrolled; run alone, there is none.
    test.skip(!adminPage || !invitee.totpSecret, 'needs the invitation test before it');
    // The step-up window starts at login: wait until the admin's second factor is older than it.
    const wait = adminLoggedInAt + STEP_UP_WINDOW_MS + 5_000 - Date.now();
    test.setTimeout(Math.max(wait, 0) + 120_000);
    if (wait > 0) await new Promise((resolveWait) => setTimeout(resolveWait, wait));
    const admin = await backend.demoLogin(ADMIN_EMAIL);

    await adminPage.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Administrasjon' }).click();
    const row = adminPage.getByTestId('users-table').locator('tr', { hasText: invitee.email });
    await expect(row.getByTestId('second-factor-cell')).toHaveText('Ja');
    await row.getByRole('button', { name: `Handlinger for ${invitee.name}` }).click();
    await adminPage.getByRole('menuitem', { name: 'Tilbakestill tofaktor' }).click();
    const confirm = adminPage.getByRole('dialog', { name: 'Tilbakestille tofaktor?' });
    await confirm.getByRole('button', { name: 'Tilbakestill tofaktor' }).click();

    const stepUp = adminPage.getByRole('dialog', { name: 'Bekreft med kode' });
    await expect(stepUp).toBeVisible();
    await stepUp.getByLabel('Kode fra autentiseringsappen').fill(await authenticator.code(admin.totpSecret));
    await keepScreenshot(adminPage, testInfo, 'auth-step-up');
    await stepUp.getByRole('button', { name: 'Bekreft' }).click();
    // The reset went through by itself once the code was accepted.
    await expect(adminPage.getByText(`Tofaktor for ${invitee.name} er tilbakestilt.`)).toBeVisible();
    await expect(stepUp).toBeHidden();
    await expect(row.getByTestId('second-factor-cell')).toHaveText('Nei');

    // The user's next login asks first for a code sent by SMS (AUTH-3: the password alone never
    // enrols an authenticator), then goes to enrolment: QR code, the secret as text, a first code,
    // new recovery codes.
    await page.goto(backend.url);
    const login = page.getByTestId('login-page');
    await login.getByLabel('E-post').fill(invitee.email);
    await login.getByRole('textbox', { name: 'Passord', exact: true }).fill(invitee.password);
    await login.getByRole('button', { name: 'Logg inn' }).click();
    await expect(login.getByRole('heading', { name: 'Bekreft med kode på SMS' })).toBeVisible();
    // The demo outbox (the admin's, newest first) stands in for the user's phone.
    await adminPage.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Utviklerverktøy: meldinger' }).click();
    const enrolmentSms = adminPage.getByTestId('outbox-table').locator(`tr[data-channel="sms"][data-recipient="${invitee.phone.replace(/\s/g, '')}"]`).first();
    await expect(enrolmentSms.getByTestId('outbox-body')).toContainText('registrere autentiseringsappen');
    const enrolmentCode = /\b(\d{6})\b/.exec(await enrolmentSms.getByTestId('outbox-body').innerText())?.[1];
    expect(enrolmentCode).toBeTruthy();
    await login.getByLabel('Kode fra SMS').fill(enrolmentCode ?? '');
    await login.getByRole('button', { name: 'Bekreft koden' }).click();
    await expect(login.getByRole('heading', { name: 'Sett opp tofaktorinnlogging' })).toBeVisible();
    await expect(login.getByTestId('totp-qr')).toBeVisible();
    const newSecret = (await login.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(newSecret).not.toBe(invitee.totpSecret);
    await keepScreenshot(page, testInfo, 'auth-login-enrolment');
    await login.getByLabel('Første kode fra appen').fill(await authenticator.code(newSecret));
    await login.getByRole('button', { name: 'Fullfør oppsettet' }).click();
    await expect(login.getByTestId('recovery-code-list').getByRole('listitem')).toHaveCount(10);
    await login.getByRole('checkbox', { name: 'Jeg har tatt vare på kodene' }).check();
    await login.getByRole('button', { name: 'Fortsett' }).click();
    await expect(page.getByTestId('user-menu')).toContainText(invitee.name);
  });
});
