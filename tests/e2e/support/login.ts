import { type Browser, expect, type Locator, type Page } from '@playwright/test';
import type { Authenticator } from './authenticator';
import type { BackendProcess } from './backend-process';

/** A logged-in user's page, and when they last entered a second factor (for AUTH-5's step-up window). */
export interface Session {
  page: Page;
  totpSecret: string;
  lastSecondFactorAt: number;
}

/** AUTH-3 through the login form: e-mail and password, then the authenticator's code. */
export async function fillLoginForm(page: Page, authenticator: Authenticator, login: { email: string; password: string; totpSecret: string }): Promise<void> {
  const form = page.getByTestId('login-page');
  await expect(form.getByRole('heading', { name: 'Logg inn' })).toBeVisible();
  await form.getByLabel('E-post').fill(login.email);
  await form.getByRole('textbox', { name: 'Passord', exact: true }).fill(login.password);
  await form.getByRole('button', { name: 'Logg inn' }).click();
  await form.getByLabel('Kode fra autentiseringsappen').fill(await authenticator.code(login.totpSecret));
  await form.getByRole('button', { name: 'Bekreft' }).click();
}

/** A demo user logged in through the UI, in a browser context of their own (Bokmål, Oslo time). */
export async function logInAsDemoUser(
  browser: Browser,
  backend: BackendProcess,
  authenticator: Authenticator,
  email: string,
  options: { hash?: string; acceptDownloads?: boolean } = {},
): Promise<Session> {
  const { password, totpSecret } = await backend.demoLogin(email);
  const context = await browser.newContext({ locale: 'nb-NO', timezoneId: 'Europe/Oslo', acceptDownloads: options.acceptDownloads ?? false });
  const page = await context.newPage();
  await page.goto(`${backend.url}/${options.hash ?? '#/journal'}`);
  await fillLoginForm(page, authenticator, { email, password, totpSecret });
  await expect(page.getByTestId('user-menu')).toBeVisible();
  return { page, totpSecret, lastSecondFactorAt: Date.now() };
}

/**
 * AUTH-5: signing, amending, printing and deleting need a second factor from the last (in e2e, 20)
 * seconds. If the server asks, answer the step-up dialog; if the last code is recent enough, it
 * does not ask. Says whether it asked.
 */
export async function answerStepUpIfAsked(session: Session, authenticator: Authenticator, done: Locator): Promise<boolean> {
  const stepUp = session.page.getByRole('dialog', { name: 'Bekreft med kode' });
  await expect(stepUp.or(done).first()).toBeVisible();
  if (!(await stepUp.isVisible())) return false;
  await stepUp.getByLabel('Kode fra autentiseringsappen').fill(await authenticator.code(session.totpSecret));
  await stepUp.getByRole('button', { name: 'Bekreft' }).click();
  session.lastSecondFactorAt = Date.now();
  await expect(stepUp).toBeHidden();
  return true;
}
