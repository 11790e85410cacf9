import { describe, expect, it } from 'vitest';
import { procedureAccessOf } from '../../../src/server/app';
import { loadConfig } from '../../../src/server/config';
import { isAuthProcedure, limitClassOf, procedurePathsOf } from '../../../src/server/limits/attack-limits';
import { sourceOf } from '../../../src/server/limits/source-address';
import { WorkGate } from '../../../src/server/limits/work-gate';
import { appRouter } from '../../../src/server/router';

describe('sourceOf (AUTH-4, PLAT-9)', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    [undefined, 'unknown'],
    ['', 'unknown'],
    ['not-an-address', 'unknown'],
  ])('PLAT-9: %s counts as %s', (address, source) => {
    expect(sourceOf(address)).toBe(source);
  });
});

describe('which procedures are limited (PLAT-9)', () => {
  const accessOf = procedureAccessOf(appRouter);
  it('PLAT-9: login, unlock, step-up and every invitation step take the tight limit; other public ones the public limit; session procedures none', () => {
    for (const path of ['auth.login.password', 'auth.login.secondFactor', 'auth.login.enrol', 'auth.login.verifyEnrolmentCode', 'auth.session.unlock', 'auth.session.stepUp', 'auth.invitation.open', 'auth.invitation.verifySmsCode', 'auth.invitation.complete']) {
      expect(isAuthProcedure(path), path).toBe(true);
      expect(limitClassOf(accessOf, path), path).toBe('auth');
    }
    expect(limitClassOf(accessOf, 'system.health')).toBe('public');
    expect(limitClassOf(accessOf, 'no.such.procedure')).toBe('public');
    expect(limitClassOf(accessOf, 'journal.open')).toBeUndefined();
    expect(limitClassOf(accessOf, 'auth.session.me')).toBeUndefined();
  });

  it('PLAT-9: every public procedure of the router is limited', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: { access?: { kind: string } } } }>;
    const unlimited = Object.entries(procedures)
      .filter(([, procedure]) => procedure._def.meta?.access?.kind === 'public')
      .filter(([path]) => limitClassOf(accessOf, path) === undefined)
      .map(([path]) => path);
    expect(unlimited).toEqual([]);
  });

  it('PLAT-9: the procedure names of a request, batched or not, encoded or not', () => {
    expect(procedurePathsOf('/trpc/auth.login.password', '/trpc')).toEqual(['auth.login.password']);
    expect(procedurePathsOf('/trpc/a.b,c.d,a.b?batch=1&input=%7B%7D', '/trpc')).toEqual(['a.b', 'c.d', 'a.b']);
    expect(procedurePathsOf('/trpc/a.b%2Ca.b?batch=1', '/trpc')).toEqual(['a.b', 'a.b']);
    expect(procedurePathsOf('/trpc/%E0%A4%A', '/trpc')).toEqual(['%E0%A4%A']);
  });
});

describe('WorkGate (PLAT-9: argon2 work bounded)', () => {
  /** Work that ends when the test says so. */
  function pending() {
    let finish = () => {};
    const done = new Promise<void>((resolve) => {
      finish = resolve;
    });
    return { done, finish };
  }

  it('PLAT-9: a few at once, a short queue, then 429 at once; one address cannot take every turn', async () => {
    const gate = new WorkGate({ concurrency: 2, queue: 2, perAddress: 2 });
    const work = Array.from({ length: 6 }, pending);
    const flood = work.map((item, i) => gate.run('198.51.100.1', () => item.done.then(() => i)));
    const settled = await Promise.allSettled(flood.slice(2));
    // Two run for the flooding address; the other four are refused without waiting.
    expect(settled.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect((settled[0] as PromiseRejectedResult).reason).toMatchObject({ kind: 'too_many_requests', message: 'error.rate_limited' });
    expect(gate.load).toEqual({ running: 2, waiting: 0 });
    // Someone else waits for a turn instead of being refused, and gets it when one ends.
    let isOtherDone = false;
    const other = gate.run('192.0.2.1', async () => {
      isOtherDone = true;
    });
    expect(gate.load).toEqual({ running: 2, waiting: 1 });
    work[0]?.finish();
    await other;
    expect(isOtherDone).toBe(true);
    work[1]?.finish();
    await Promise.all(flood.slice(0, 2));
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });

  it('PLAT-9: a full queue refuses everyone at once; a failed work item gives its turn back', async () => {
    const gate = new WorkGate({ concurrency: 1, queue: 1, perAddress: 5 });
    const first = pending();
    const running = gate.run('a', () => first.done);
    const queued = gate.run('b', async () => 'b');
    await expect(gate.run('c', async () => 'c')).rejects.toMatchObject({ kind: 'too_many_requests' });
    first.finish();
    await running;
    expect(await queued).toBe('b');
    await expect(gate.run('a', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
    expect(await gate.run('a', async () => 'again')).toBe('again');
  });
});

describe('limits configuration (PLAT-9)', () => {
  it('PLAT-9: defaults, and every limit settable and validated', () => {
    expect(loadConfig({}).limits).toEqual({
      windowMs: 60_000,
      authPerAddress: 30,
      authOverall: 1000,
      publicPerAddress: 1200,
      publicOverall: 60_000,
      maxBatch: 10,
      argon2: { concurrency: 2, queue: 8, perAddress: 2 },
    });
    const set = loadConfig({
      JK_RATE_LIMIT_WINDOW_SECONDS: '10',
      JK_RATE_LIMIT_AUTH_PER_ADDRESS: '5',
      JK_RATE_LIMIT_AUTH_OVERALL: '50',
      JK_RATE_LIMIT_PUBLIC_PER_ADDRESS: '7',
      JK_RATE_LIMIT_PUBLIC_OVERALL: '70',
      JK_TRPC_MAX_BATCH: '3',
      JK_ARGON2_CONCURRENCY: '4',
      JK_ARGON2_QUEUE: '0',
      JK_ARGON2_PER_ADDRESS: '1',
    }).limits;
    expect(set).toEqual({ windowMs: 10_000, authPerAddress: 5, authOverall: 50, publicPerAddress: 7, publicOverall: 70, maxBatch: 3, argon2: { concurrency: 4, queue: 0, perAddress: 1 } });
    for (const [name, value] of [['JK_TRPC_MAX_BATCH', '0'], ['JK_RATE_LIMIT_AUTH_PER_ADDRESS', 'many'], ['JK_ARGON2_CONCURRENCY', '0'], ['JK_RATE_LIMIT_WINDOW_SECONDS', '-1']] as const) {
      expect(() => loadConfig({ [name]: value }), name).toThrow(name);
    }
  });
});
