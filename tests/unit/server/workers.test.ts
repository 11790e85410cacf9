import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/server/config';
import { workerCountOf } from '../../../src/server/workers';

const JK_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');
const DATABASE_URL = 'postgres://journalkontor_server@localhost/jk';

describe('PLAT-10: how many workers npm run server starts', () => {
  it('PLAT-10: one per core on PostgreSQL by default, JK_WORKERS when given', () => {
    expect(workerCountOf(loadConfig({ DATABASE_URL, JK_SECRET_KEY }))).toBe(availableParallelism());
    expect(workerCountOf(loadConfig({ DATABASE_URL, JK_SECRET_KEY, JK_WORKERS: '3' }))).toBe(3);
    expect(workerCountOf(loadConfig({ DATABASE_URL, JK_SECRET_KEY, JK_WORKERS: '1' }))).toBe(1);
  });

  it('PLAT-10, PLAT-1: PGlite and the demo stay one process whatever JK_WORKERS says', () => {
    expect(workerCountOf(loadConfig({ JK_WORKERS: '4' }))).toBe(1);
    expect(workerCountOf(loadConfig({ DATABASE_URL, JK_SECRET_KEY, JK_DEMO: '1', JK_WORKERS: '4' }))).toBe(1);
  });

  it('PLAT-10: JK_WORKERS must be a whole number from 1', () => {
    expect(() => loadConfig({ DATABASE_URL, JK_SECRET_KEY, JK_WORKERS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL, JK_SECRET_KEY, JK_WORKERS: 'many' })).toThrow(ConfigError);
  });
});
