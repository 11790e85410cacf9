import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildServer } from '../../../src/server/app';
import { appRouter } from '../../../src/server/router';
import { publicProcedure, router } from '../../../src/server/trpc';
import { nationalIdentityNumberSchema } from '../../../src/shared/national-identity-number';
import { useTestDatabase } from '../support/test-database';
import { testConfig, testSecretBox } from '../support/test-server';

// Until the domains bring procedures with input, a probe router built from the same base procedure
// exercises the shared error path (the same errorFormatter, the same Fastify app).
const probeRouter = router({
  ...appRouter._def.record,
  probe: router({
    echoLength: publicProcedure
      .input(z.object({ name: z.string().min(1).max(100), national: nationalIdentityNumberSchema(), count: z.number().int() }))
      .mutation(({ input }) => ({ length: input.name.length })),
    // Big enough for more than one chunk of a stream, with letters of more than one byte.
    bigAnswer: publicProcedure.query(() => ({ items: Array.from({ length: 400 }, (_, index) => ({ index, text: `Ærlig Øystein Åsen ${index} `.repeat(4) })) })),
    explode: publicProcedure.query(() => {
      throw new Error('duplicate key value violates unique constraint: Key (name)=(Kari Nordmann)');
    }),
  }),
});

describe('HTTP edge (PLAT-6, DESK-1)', () => {
  const database = useTestDatabase();
  let app: FastifyInstance;
  beforeEach(async () => {
    app = await buildServer({
      db: database.current.db,
      databaseKind: database.current.kind,
      config: testConfig({ bodyLimitBytes: 64 * 1024, allowedOrigins: ['app://journalkontor', 'http://127.0.0.1:4010'] }),
      now: () => new Date(),
      router: probeRouter,
      secretBox: testSecretBox,
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
  });

  const post = (path: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: `/trpc/${path}`, payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...headers } });

  it('PLAT-6: health checks the database and answers 200', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('PLAT-6: wrong types give 400 with coded field errors naming each field, never zod prose or the input', async () => {
    const response = await post('probe.echoLength', { name: '', national: '01010112345', count: 'many' });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.message).toBe('error.validation');
    expect(body.error.data.fieldErrors).toEqual(
      expect.arrayContaining([
        { field: 'name', messageKey: 'validation.too_small', params: { limit: 1, origin: 'string' } },
        { field: 'national', messageKey: 'validation.nationalIdentityNumber.checksum', params: expect.any(Object) },
        { field: 'count', messageKey: 'validation.invalid_type', params: { expected: 'number' } },
      ]),
    );
    expect(response.body).not.toContain('01010112345');
    expect(body.error.data.stack).toBeUndefined();
  });

  it.each([
    ['a SQL-looking string', "'; drop table organisation; --"],
    ['unicode', 'Ærlig Øystein Åsen 😀 ﷽'],
  ])('PLAT-6: %s is data, not code', async (_label, name) => {
    const response = await post('probe.echoLength', { name, national: '15076500565', count: 1 });
    expect(response.statusCode).toBe(200);
    expect(response.json().result.data.length).toBe(name.length);
    const tables = await app.inject({ method: 'GET', url: '/health' });
    expect(tables.statusCode).toBe(200);
  });

  it('PLAT-6: an unknown procedure is 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/trpc/nothing.here' });
    expect(response.statusCode).toBe(404);
  });

  it('PLAT-6: a mutation sent as GET is refused with 4xx', async () => {
    const response = await app.inject({ method: 'GET', url: '/trpc/probe.echoLength' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });

  it('PLAT-6: malformed JSON is 400, not 500', async () => {
    const response = await app.inject({ method: 'POST', url: '/trpc/probe.echoLength', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
  });

  it('PLAT-6: an oversized payload is 413, not 500', async () => {
    const response = await post('probe.echoLength', { name: 'x'.repeat(200 * 1024), national: '15076500565', count: 1 });
    expect(response.statusCode).toBe(413);
  });

  it('an internal error says nothing of its cause to the client', async () => {
    const response = await app.inject({ method: 'GET', url: '/trpc/probe.explode' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.message).toBe('error.internal');
    expect(response.body).not.toContain('Kari');
    expect(response.body).not.toContain('duplicate');
  });

  it('issue 13: a whole JSON answer goes out in one piece, with its Content-Length, status and headers', async () => {
    const response = await app.inject({ method: 'GET', url: `/trpc/probe.bigAnswer,system.health?batch=1&input=${encodeURIComponent('{}')}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['transfer-encoding']).toBeUndefined();
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body, 'utf8')));
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['vary']).toContain('trpc-accept');
    expect(response.headers['cache-control']).toBe('no-store');
    const [big, health] = response.json();
    expect(big.result.data.items).toHaveLength(400);
    expect(big.result.data.items[399]).toEqual({ index: 399, text: 'Ærlig Øystein Åsen 399 '.repeat(4) });
    expect(health.result.data).toBeDefined();
  });

  it('issue 13: an error answer keeps its status when sent whole', async () => {
    const response = await app.inject({ method: 'GET', url: `/trpc/probe.explode,probe.bigAnswer?batch=1&input=${encodeURIComponent('{}')}` });
    expect(response.statusCode).toBe(207);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(response.body, 'utf8')));
    const [failed, answered] = response.json();
    expect(failed.error.message).toBe('error.internal');
    expect(answered.result.data.items).toHaveLength(400);
  });

  it('issue 13: a JSON-lines batch is still streamed (only whole answers are sent as one string)', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/trpc/probe.bigAnswer?batch=1&input=${encodeURIComponent('{}')}`,
      headers: { 'trpc-accept': 'application/jsonl' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['transfer-encoding']).toBe('chunked');
    expect(response.headers['content-length']).toBeUndefined();
    expect(response.body).toContain('Ærlig Øystein Åsen 399');
  });

  it('DESK-1: every response carries a strict CSP, nosniff and no-store', async () => {
    const response = await app.inject({ method: 'GET', url: '/trpc/system.health' });
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it.each([
    ['app://journalkontor', true],
    ['http://127.0.0.1:4010', true],
    ['https://evil.example', false],
    ['null', false],
    ['app://journalkontor.evil', false],
  ])('CORS admits only the app origins: %s → %s', async (origin, isAllowed) => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: '/trpc/system.health',
      headers: { origin, 'access-control-request-method': 'GET' },
    });
    expect(response.headers['access-control-allow-origin']).toBe(isAllowed ? origin : undefined);
  });
});
