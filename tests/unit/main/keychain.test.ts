import { describe, expect, it, vi } from 'vitest';
import {
  KEYCHAIN_SERVICE,
  KeychainUnavailableError,
  createKeytarSecretStore,
  loadKeytar,
  type KeytarModule,
} from '../../../src/main/keychain';

// DESK-2: the keytar-backed SecretStore, with keytar faked (the real one: keychain-keytar.test.ts).

function fakeKeytar(): KeytarModule & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  const key = (service: string, account: string) => `${service}\u0000${account}`;
  return {
    entries,
    getPassword: vi.fn(async (service, account) => entries.get(key(service, account)) ?? null),
    setPassword: vi.fn(async (service, account, password) => {
      entries.set(key(service, account), password);
    }),
    deletePassword: vi.fn(async (service, account) => entries.delete(key(service, account))),
  };
}

describe('createKeytarSecretStore', () => {
  it("stores under the service name 'Journalkontor'", async () => {
    const keytar = fakeKeytar();
    const store = createKeytarSecretStore(undefined, async () => keytar);
    await store.set('device-id', 'abc');
    expect(keytar.setPassword).toHaveBeenCalledWith('Journalkontor', 'device-id', 'abc');
    expect(KEYCHAIN_SERVICE).toBe('Journalkontor');
    expect(await store.get('device-id')).toBe('abc');
    expect(await store.delete('device-id')).toBe(true);
    expect(await store.get('device-id')).toBeNull();
  });

  it('loads keytar once', async () => {
    const load = vi.fn(async () => fakeKeytar());
    const store = createKeytarSecretStore('Test', load);
    await store.get('a');
    await store.get('b');
    expect(load).toHaveBeenCalledOnce();
  });

  it('reports a missing keytar as KeychainUnavailableError, and tries again next time', async () => {
    const load = vi
      .fn<() => Promise<KeytarModule>>()
      .mockRejectedValueOnce(new KeychainUnavailableError('keytar is not installed'))
      .mockResolvedValue(fakeKeytar());
    const store = createKeytarSecretStore('Test', load);
    await expect(store.get('a')).rejects.toThrow(KeychainUnavailableError);
    await expect(store.get('a')).resolves.toBeNull();
  });

  it('turns a keychain failure (no Secret Service, locked) into KeychainUnavailableError without the secret', async () => {
    const keytar = fakeKeytar();
    keytar.setPassword = vi.fn().mockRejectedValue(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY'));
    const store = createKeytarSecretStore('Test', async () => keytar);
    const error = await store.set('remembered-username', 'kari.lege@example.no').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeychainUnavailableError);
    expect((error as Error).message).not.toContain('kari');
  });
});

describe('loadKeytar', () => {
  it('loads the installed keytar module (without touching the keychain)', async () => {
    const keytar = await loadKeytar().catch((error: unknown) => error);
    if (keytar instanceof KeychainUnavailableError) {
      // keytar is an optional dependency; where it did not build, the error must say what to do.
      expect(keytar.message).toMatch(/keytar/);
      return;
    }
    expect((keytar as KeytarModule).getPassword).toBeTypeOf('function');
    expect((keytar as KeytarModule).setPassword).toBeTypeOf('function');
    expect((keytar as KeytarModule).deletePassword).toBeTypeOf('function');
  });
});
