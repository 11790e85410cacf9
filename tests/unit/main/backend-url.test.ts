import { describe, expect, it } from 'vitest';
import { chooseBackendUrl } from '../../../src/main/backend-url';

// DESK-5: which backend this run talks to.

describe('chooseBackendUrl', () => {
  const buildTime = 'http://127.0.0.1:4010';

  it('uses the build-time URL when JK_BACKEND_URL is unset or empty', () => {
    expect(chooseBackendUrl(undefined, buildTime)).toEqual({ isValid: true, url: buildTime, source: 'build' });
    expect(chooseBackendUrl('', buildTime)).toEqual({ isValid: true, url: buildTime, source: 'build' });
  });

  it('prefers a valid JK_BACKEND_URL and normalises it', () => {
    expect(chooseBackendUrl('HTTPS://Journal.Example.NO:443/', buildTime)).toEqual({
      isValid: true,
      url: 'https://journal.example.no',
      source: 'environment',
    });
    expect(chooseBackendUrl('https://journal.example.no/api/', buildTime)).toMatchObject({
      url: 'https://journal.example.no/api',
    });
  });

  it.each([
    'http://journal.example.no',
    'https://user:pw@journal.example.no',
    'http://127.0.0.1.evil.com:4010',
    'file:///etc/passwd',
    'not a url',
    ' https://journal.example.no',
  ])('refuses JK_BACKEND_URL=%j and does not fall back to the build-time URL', (url) => {
    expect(chooseBackendUrl(url, buildTime)).toEqual({ isValid: false, source: 'environment' });
  });

  it('refuses a bad build-time URL too', () => {
    expect(chooseBackendUrl(undefined, 'http://example.com')).toEqual({ isValid: false, source: 'build' });
  });
});
