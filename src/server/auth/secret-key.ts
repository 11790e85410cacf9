import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ServerConfig } from '../config';

/**
 * The key for SecretBox. Production passes JK_SECRET_KEY (config refuses DATABASE_URL without it).
 * With PGlite (demo, development) the key lives in a file beside the data folder, created on first
 * start with owner-only permissions: outside the database, as AUTH-5 asks, and no set-up step.
 */
export async function resolveSecretKey(config: ServerConfig): Promise<Buffer> {
  if (config.secretKey) return config.secretKey;
  if (config.database.kind !== 'pglite') throw new Error('JK_SECRET_KEY is required with DATABASE_URL');
  const path = join(dirname(config.database.dataDir), 'secret.key');
  try {
    const stored = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (stored.length === 32) return stored;
    throw new Error(`${path} does not hold a 32-byte base64 key`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const key = randomBytes(32);
    await writeFile(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  }
}
