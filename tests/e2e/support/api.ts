import { randomUUID } from 'node:crypto';
import { createTRPCClient, httpLink } from '@trpc/client';
import type { AppRouter } from '../../../src/server/router';
import type { Authenticator } from './authenticator';
import type { BackendProcess } from './backend-process';

/**
 * The backend's own API, logged in as a demo user, for setting up what would take a test long to
 * click through (a journal of many notes). The app under test is still only driven through the page.
 */
export async function apiAs(backend: BackendProcess, authenticator: Authenticator, email: string) {
  const { password, totpSecret } = await backend.demoLogin(email);
  let token: string | null = null;
  const deviceId = randomUUID();
  const client = createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: `${backend.url}/trpc`,
        headers: () => ({ 'x-device-id': deviceId, ...(token ? { authorization: `Bearer ${token}` } : {}) }),
      }),
    ],
  });
  const step = await client.auth.login.password.mutate({ email, password, deviceId });
  if (step.step !== 'second_factor') throw new Error(`unexpected login step ${step.step}`);
  const session = await client.auth.login.secondFactor.mutate({ ticket: step.ticket, code: await authenticator.code(totpSecret) });
  token = session.token;
  return client;
}
