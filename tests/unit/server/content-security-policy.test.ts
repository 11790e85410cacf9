import { describe, expect, it } from 'vitest';

import { buildContentSecurityPolicy } from '../../../src/shared/content-security-policy';

/** The policy as directive name → values. Fails on a directive given twice. */
function directives(policy: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(result.has(name), `${name} appears twice`).toBe(false);
    result.set(name, values);
  }
  return result;
}

describe('buildContentSecurityPolicy', () => {
  const policy = buildContentSecurityPolicy({ connectSources: ['http://127.0.0.1:4010'] });
  const parsed = directives(policy);

  it("DESK-1: default-src is 'none'", () => {
    expect(parsed.get('default-src')).toEqual(["'none'"]);
  });

  it("DESK-1: script-src is 'self' only: no inline, no eval, no remote scripts", () => {
    expect(parsed.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('wasm-unsafe-eval');
    expect(policy).not.toMatch(/\*/);
  });

  it('DESK-1: no frames, plugins, workers, base or form targets', () => {
    for (const name of ['object-src', 'frame-src', 'worker-src', 'base-uri', 'form-action']) {
      expect(parsed.get(name), name).toEqual(["'none'"]);
    }
  });

  it("DESK-5: connect-src is 'self' plus the backend's origin", () => {
    expect(parsed.get('connect-src')).toEqual(["'self'", 'http://127.0.0.1:4010']);
  });

  it("DESK-5: with no backend given, connect-src is 'self' alone", () => {
    expect(directives(buildContentSecurityPolicy({ connectSources: [] })).get('connect-src')).toEqual(["'self'"]);
  });

  it('DESK-5: a URL with a path, query or trailing slash is reduced to its origin', () => {
    const connect = directives(
      buildContentSecurityPolicy({ connectSources: ['https://api.example.no/trpc/v1?x=1#y', 'http://localhost:4010/'] }),
    ).get('connect-src');
    expect(connect).toEqual(["'self'", 'https://api.example.no', 'http://localhost:4010']);
  });

  it('DESK-5: duplicates are removed', () => {
    const connect = directives(
      buildContentSecurityPolicy({
        connectSources: ['https://api.example.no', 'https://api.example.no/trpc', 'https://API.example.no:443/'],
      }),
    ).get('connect-src');
    expect(connect).toEqual(["'self'", 'https://api.example.no']);
  });

  it("DESK-1: frame-ancestors 'none' is sent as a header (the default) but not in a meta tag", () => {
    expect(parsed.get('frame-ancestors')).toEqual(["'none'"]);
    expect(
      directives(buildContentSecurityPolicy({ connectSources: [], delivery: 'header' })).get('frame-ancestors'),
    ).toEqual(["'none'"]);
    const meta = buildContentSecurityPolicy({ connectSources: [], delivery: 'meta' });
    expect(meta).not.toContain('frame-ancestors');
    // Apart from that directive the two deliveries are the same policy.
    const header = directives(buildContentSecurityPolicy({ connectSources: [] }));
    header.delete('frame-ancestors');
    expect(directives(meta)).toEqual(header);
  });
});
