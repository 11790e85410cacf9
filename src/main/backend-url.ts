import { isAllowedBackendUrl } from './trusted-url';

export type BackendUrlChoice =
  | { isValid: true; url: string; source: 'environment' | 'build' }
  | { isValid: false; source: 'environment' | 'build' };

/**
 * Which backend this run talks to (DESK-5): `JK_BACKEND_URL` when set (a developer or an operator
 * pointing one installation elsewhere), else the URL fixed at build time. An invalid value is
 * never replaced by the other one: a typo must stop the app with a message, not quietly send the
 * user's login to a backend they did not choose.
 */
export function chooseBackendUrl(
  environmentUrl: string | undefined,
  buildTimeUrl: string,
): BackendUrlChoice {
  const source = environmentUrl !== undefined && environmentUrl !== '' ? 'environment' : 'build';
  const candidate = source === 'environment' ? environmentUrl : buildTimeUrl;
  if (candidate === undefined || !isAllowedBackendUrl(candidate)) return { isValid: false, source };
  // Normalise (lower-case host, no default port); trailing slash removed so callers can append paths.
  return { isValid: true, url: new URL(candidate).href.replace(/\/$/, ''), source };
}
