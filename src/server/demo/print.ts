import type { DemoSeedResult } from './seed';

/**
 * How to log in to the demo (PLAT-5), printed at start: every demo user, the shared password and
 * each user's TOTP secret (add it to an authenticator app, or compute a code with
 * `oathtool --totp -b SECRET`). Printed only in demo mode, whose database never holds real data.
 */
export function formatDemoLogins(demo: DemoSeedResult, appUrl: string): string {
  const width = Math.max(...demo.logins.map((login) => login.email.length));
  return [
    `Demo logins (password for all: ${demo.password}) — open ${appUrl}/`,
    ...demo.logins.map((login) => `  ${login.email.padEnd(width)}  TOTP secret ${login.totpSecret}  (${login.roles.join(', ')})`),
    '  Invitation e-mails and SMS codes appear in the app under "Utviklerverktøy: meldinger" (demo only).',
  ].join('\n');
}
