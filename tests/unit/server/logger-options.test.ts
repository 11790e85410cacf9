import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

import { loggerOptions } from '../../../src/server/app';

interface Options {
  level: string;
  redact: { paths: string[]; remove?: boolean };
  serializers: {
    req: (request: { id: string; method: string; url: string; headers?: Record<string, string> }) => Record<string, unknown>;
    res: (reply: { statusCode: number; headers?: Record<string, string> }) => Record<string, unknown>;
  };
}

function options(level = 'info'): Options {
  const value = loggerOptions(level);
  if (typeof value !== 'object' || value === null) throw new Error('loggerOptions must return an options object');
  return value as unknown as Options;
}

const TRPC_GET_URL = '/trpc/patient.search?batch=1&input=%7B%220%22%3A%7B%22name%22%3A%22Kari%22%7D%7D';

describe('loggerOptions', () => {
  it('PLAT-8: passes the level through', () => {
    expect(options('warn').level).toBe('warn');
  });

  it('PLAT-8: the request serializer drops the query string (tRPC GET input lives there)', () => {
    const serialized = options().serializers.req({
      id: 'req-1',
      method: 'GET',
      url: '/trpc/x?input=%7B%22name%22%3A%22Kari%22%7D',
      headers: { authorization: 'Bearer abc', cookie: 'sid=1' },
    });
    expect(serialized).toEqual({ id: 'req-1', method: 'GET', path: '/trpc/x' });
    expect(JSON.stringify(serialized)).not.toContain('Kari');
  });

  it('PLAT-8: a URL without a query string is kept whole', () => {
    expect(options().serializers.req({ id: '2', method: 'POST', url: '/trpc/system.info' }).path).toBe('/trpc/system.info');
  });

  it('PLAT-8: the response serializer keeps only the status code', () => {
    expect(options().serializers.res({ statusCode: 404, headers: { 'set-cookie': 'sid=1' } })).toEqual({ statusCode: 404 });
  });

  it('PLAT-8: authorization and cookie headers are redacted (removed)', () => {
    const { redact } = options();
    expect(redact.paths).toEqual(expect.arrayContaining(['req.headers.authorization', 'req.headers.cookie']));
    expect(redact.remove).toBe(true);
  });

  it('PLAT-8: a real Fastify request log carries neither the query string nor credentials', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        callback();
      },
    });
    const app = Fastify({ logger: { ...(loggerOptions('info') as object), stream } });
    app.get('/trpc/patient.search', async () => ({ ok: true }));
    try {
      const response = await app.inject({
        method: 'GET',
        url: TRPC_GET_URL,
        headers: { authorization: 'Bearer token-Kari', cookie: 'session=cookie-Kari' },
      });
      expect(response.statusCode).toBe(200);
    } finally {
      await app.close();
    }
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const incoming = records.find((record) => record.msg === 'incoming request');
    expect(incoming?.req).toEqual({ id: expect.any(String), method: 'GET', path: '/trpc/patient.search' });
    const log = lines.join('\n');
    expect(log).not.toContain('Kari');
    expect(log).not.toContain('input=');
    expect(log).not.toContain('Bearer');
    expect(log).not.toContain('session=');
  });
});
