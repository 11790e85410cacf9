import { isAbsolute, join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { APP_ORIGIN } from '../../../src/shared/app-constants';
import { ConfigError, loadConfig } from '../../../src/server/config';

/** Runs loadConfig and returns the ConfigError it must throw. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(Object.keys(env))}`);
}

describe('loadConfig defaults', () => {
  it('PLAT-1: with no DATABASE_URL the backend uses PGlite in .data/pglite, resolved to an absolute path', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: join(process.cwd(), '.data', 'pglite') });
    expect(config.database.kind === 'pglite' && isAbsolute(config.database.dataDir)).toBe(true);
  });

  it('PLAT-1: defaults to loopback port 4010, demo off, info logging, only the app origin', () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    expect(config.port).toBe(4010);
    expect(config.isDemo).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(config.allowedOrigins).toEqual([APP_ORIGIN]);
    expect(config.rendererDir).toBeUndefined();
    expect(config.trustProxy).toBe(false);
  });

  it('PLAT-1: a relative JK_DATA_DIR is resolved against the working directory', () => {
    const config = loadConfig({ JK_DATA_DIR: 'some/where' });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: join(process.cwd(), 'some', 'where') });
  });

  it('PLAT-1: ignores unrelated variables (the real process environment is full of them)', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', JK_PORT: '4011' })).not.toThrow();
  });
});

describe('loadConfig with DATABASE_URL', () => {
  // Production needs the key that encrypts TOTP secrets, kept outside the database (AUTH-5).
  const JK_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

  it.each(['postgres://jk:secret@db.example:5432/jk', 'postgresql://localhost/jk'])(
    'PLAT-1: %s selects PostgreSQL with the default pool size',
    (url) => {
      expect(loadConfig({ DATABASE_URL: url, JK_SECRET_KEY }).database).toEqual({ kind: 'postgres', url, poolSize: 10 });
    },
  );

  it('AUTH-5: DATABASE_URL without JK_SECRET_KEY is refused, naming JK_SECRET_KEY', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/jk' })).toThrow(/JK_SECRET_KEY/);
  });

  it('AUTH-5: a JK_SECRET_KEY that is not 32 bytes is refused and not echoed', () => {
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(() => loadConfig({ DATABASE_URL: 'postgres://localhost/jk', JK_SECRET_KEY: short })).toThrow(/JK_SECRET_KEY/);
    try {
      loadConfig({ DATABASE_URL: 'postgres://localhost/jk', JK_SECRET_KEY: short });
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('PLAT-1: JK_DB_POOL_SIZE sets the pool size', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/jk', JK_DB_POOL_SIZE: '25', JK_SECRET_KEY }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://localhost/jk',
      poolSize: 25,
    });
  });

  it('PLAT-3: DATABASE_OWNER_URL is the owner\'s connection for migrations, beside the application\'s login', () => {
    const url = 'postgres://journalkontor_server:app-secret@db.example/jk';
    const ownerUrl = 'postgres://jk_owner:owner-secret@db.example/jk';
    expect(loadConfig({ DATABASE_URL: url, DATABASE_OWNER_URL: ownerUrl, JK_SECRET_KEY }).database).toEqual({ kind: 'postgres', url, ownerUrl, poolSize: 10 });
  });

  it('PLAT-3: DATABASE_OWNER_URL naming the same login as DATABASE_URL is refused: the server must not run as the owner', () => {
    const error = configErrorFor({ DATABASE_URL: 'postgres://jk:a@db/jk', DATABASE_OWNER_URL: 'postgres://jk:a@db/jk', JK_SECRET_KEY });
    expect(error.message).toMatch(/DATABASE_OWNER_URL: must name another login than DATABASE_URL/);
    expect(error.message).not.toContain('jk:a@');
  });

  it('PLAT-3: DATABASE_OWNER_URL without DATABASE_URL, or not a postgres URL, is refused and not echoed', () => {
    expect(configErrorFor({ DATABASE_OWNER_URL: 'postgres://postgres@db/jk' }).message).toMatch(/DATABASE_OWNER_URL: only with DATABASE_URL/);
    const error = configErrorFor({ DATABASE_URL: 'postgres://jk@db/jk', DATABASE_OWNER_URL: 'mysql://root:Hemmelig-42@db/jk', JK_SECRET_KEY });
    expect(error.message).toContain('DATABASE_OWNER_URL');
    expect(error.message).not.toContain('Hemmelig-42');
  });
});

describe('loadConfig values', () => {
  it.each([
    ['1', true],
    ['true', true],
    ['yes', true],
    ['0', false],
    ['false', false],
    ['no', false],
  ] as const)('PLAT-5: JK_DEMO=%s gives isDemo %s', (value, expected) => {
    expect(loadConfig({ JK_DEMO: value }).isDemo).toBe(expected);
  });

  it('PLAT-1: JK_PORT is read as a number', () => {
    expect(loadConfig({ JK_PORT: '8443' }).port).toBe(8443);
  });

  it.each([
    ['JK_PORT', 'JK_PORT'],
    ['JK_DEMO', 'JK_DEMO'],
    ['DATABASE_URL', 'DATABASE_URL'],
    ['JK_LOG_LEVEL', 'JK_LOG_LEVEL'],
    ['JK_DATA_DIR', 'JK_DATA_DIR'],
    ['JK_ALLOWED_ORIGINS', 'JK_ALLOWED_ORIGINS'],
  ])('PLAT-1: an empty %s counts as unset', (name) => {
    expect(loadConfig({ [name]: '' })).toEqual(loadConfig({}));
  });
});

describe('loadConfig rejects bad values, naming the variable', () => {
  it.each([
    ['JK_PORT', 'abc'],
    ['JK_PORT', '70000'],
    ['JK_PORT', '-1'],
    ['JK_PORT', '80.5'],
    ['JK_DEMO', 'maybe'],
    ['DATABASE_URL', 'mysql://root@db.example/jk'],
    ['JK_ALLOWED_ORIGINS', 'not-a-url'],
    ['JK_LOG_LEVEL', 'loud'],
    ['JK_DB_POOL_SIZE', '0'],
    ['JK_BODY_LIMIT_BYTES', '10'],
  ])('PLAT-1: %s=%s throws a ConfigError naming the variable', (name, value) => {
    const error = configErrorFor({ [name]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(name);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]?.startsWith(name)).toBe(true);
  });

  it('PLAT-1: reports every bad variable at once', () => {
    const error = configErrorFor({ JK_PORT: 'abc', JK_DEMO: 'maybe', JK_LOG_LEVEL: 'loud' });
    expect(error.problems).toHaveLength(3);
    for (const name of ['JK_PORT', 'JK_DEMO', 'JK_LOG_LEVEL']) expect(error.message).toContain(name);
  });

  it('PLAT-1: a bad DATABASE_URL is named but its value (with its password) is never echoed', () => {
    const url = 'mysql://journal:Hemmelig-Passord-42@db.internal.example:3306/patients';
    const error = configErrorFor({ DATABASE_URL: url });
    expect(error.message).toContain('DATABASE_URL');
    for (const fragment of ['Hemmelig-Passord-42', 'db.internal.example', 'journal:', url]) {
      expect(error.message).not.toContain(fragment);
      expect(JSON.stringify(error.problems)).not.toContain(fragment);
    }
  });

  it('PLAT-1: a DATABASE_URL that is not a URL at all is not echoed either', () => {
    const error = configErrorFor({ DATABASE_URL: 'host=db user=jk password=Hemmelig-Passord-42' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).not.toContain('Hemmelig-Passord-42');
  });

  it.each(['file:///tmp/index.html', 'data:text/html,hi', 'mailto:dpo@example.no', 'javascript:alert(1)'])(
    'DESK-5: JK_ALLOWED_ORIGINS=%s (a URL without an origin) is refused, never allowed as "null"',
    (value) => {
      const error = configErrorFor({ JK_ALLOWED_ORIGINS: value });
      expect(error.message).toContain('JK_ALLOWED_ORIGINS');
    },
  );
});

describe('loadConfig allowedOrigins', () => {
  it('DESK-5: always includes the app origin, normalises URLs to origins and removes duplicates', () => {
    const config = loadConfig({
      JK_ALLOWED_ORIGINS:
        ' https://portal.example.no/some/path?x=1 , https://portal.example.no, http://localhost:5173/,app://journalkontor,,',
    });
    expect(config.allowedOrigins).toEqual([APP_ORIGIN, 'https://portal.example.no', 'http://localhost:5173']);
    expect(config.allowedOrigins).not.toContain('null');
  });

  it('DESK-5: the app origin comes first and is kept even when not listed', () => {
    expect(loadConfig({ JK_ALLOWED_ORIGINS: 'https://a.example' }).allowedOrigins).toEqual([
      'app://journalkontor',
      'https://a.example',
    ]);
  });

  it('DESK-5: a default port is dropped and the host lower-cased, as browsers send the Origin header', () => {
    expect(loadConfig({ JK_ALLOWED_ORIGINS: 'HTTPS://Portal.Example.NO:443/' }).allowedOrigins).toEqual([
      APP_ORIGIN,
      'https://portal.example.no',
    ]);
  });
});

describe('loadConfig step-up window (AUTH-5)', () => {
  it('AUTH-5: the step-up window is 5 minutes unless shortened', () => {
    expect(loadConfig({}).stepUpWindowMs).toBe(300_000);
    expect(loadConfig({ JK_STEP_UP_WINDOW_SECONDS: '60' }).stepUpWindowMs).toBe(60_000);
  });

  it('AUTH-5: it can never be lengthened past 5 minutes', () => {
    expect(() => loadConfig({ JK_STEP_UP_WINDOW_SECONDS: '301' })).toThrow(/JK_STEP_UP_WINDOW_SECONDS/);
  });
});

describe('the seal witness (AUD-4, ADR 0007)', () => {
  const JK_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

  it('AUD-4: with PGlite it defaults to a file beside the data folder; with PostgreSQL there is none unless named', () => {
    expect(loadConfig({}).auditWitnessPath).toBe(join(process.cwd(), '.data', 'audit-witness.jsonl'));
    expect(loadConfig({ JK_DATA_DIR: 'some/where/pglite' }).auditWitnessPath).toBe(join(process.cwd(), 'some', 'where', 'audit-witness.jsonl'));
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/jk', JK_SECRET_KEY }).auditWitnessPath).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: 'postgres://localhost/jk', JK_SECRET_KEY, JK_AUDIT_WITNESS_FILE: 'w/seals.jsonl' }).auditWitnessPath).toBe(join(process.cwd(), 'w', 'seals.jsonl'));
  });
});
