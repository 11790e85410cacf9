import { describe, expect, it, vi } from 'vitest';
import {
  DEVICE_ID_ACCOUNT,
  REMEMBERED_USERNAME_ACCOUNT,
  deviceIdProvider,
  getOrCreateDeviceId,
  getRememberedUsername,
  setRememberedUsername,
} from '../../../src/main/device-identity';
import { KeychainUnavailableError } from '../../../src/main/keychain';
import { createMemorySecretStore } from './memory-secret-store';

// AUTH-6 / DESK-2: the device identity and the remembered username, kept in the keychain.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('getOrCreateDeviceId', () => {
  it('creates a random v4 UUID on first use and stores it', async () => {
    const store = createMemorySecretStore();
    const id = await getOrCreateDeviceId(store);
    expect(id).toMatch(UUID);
    expect(store.entries.get(DEVICE_ID_ACCOUNT)).toBe(id);
  });

  it('returns the stored id afterwards, without writing again', async () => {
    const store = createMemorySecretStore();
    const first = await getOrCreateDeviceId(store);
    const set = vi.spyOn(store, 'set');
    expect(await getOrCreateDeviceId(store)).toBe(first);
    expect(set).not.toHaveBeenCalled();
  });

  it('gives different installations different ids', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => getOrCreateDeviceId(createMemorySecretStore())),
    );
    expect(new Set(ids).size).toBe(20);
  });

  it.each(['', 'not-a-uuid', '6F1C1B9E-0000-4000-8000-000000000000', 'x'.repeat(36), '<script>'])(
    'replaces a stored value that is not a UUID (%j)',
    async (stored) => {
      const store = createMemorySecretStore({ [DEVICE_ID_ACCOUNT]: stored });
      const id = await getOrCreateDeviceId(store, () => '11111111-2222-4333-8444-555555555555');
      expect(id).toBe('11111111-2222-4333-8444-555555555555');
      expect(store.entries.get(DEVICE_ID_ACCOUNT)).toBe(id);
    },
  );

  it('passes a keychain failure on (the caller shows it; no id is invented)', async () => {
    const store = createMemorySecretStore();
    store.get = () => Promise.reject(new KeychainUnavailableError('no keyring'));
    await expect(getOrCreateDeviceId(store)).rejects.toBeInstanceOf(KeychainUnavailableError);
  });
});

describe('deviceIdProvider', () => {
  it('makes one id even when asked twice at once', async () => {
    const store = createMemorySecretStore();
    const createId = vi.fn(() => crypto.randomUUID());
    const getDeviceId = deviceIdProvider(store, createId);
    const [a, b] = await Promise.all([getDeviceId(), getDeviceId()]);
    expect(a).toBe(b);
    expect(createId).toHaveBeenCalledOnce();
  });

  it('retries after a failure', async () => {
    const store = createMemorySecretStore();
    const realGet = store.get;
    store.get = vi.fn().mockRejectedValueOnce(new KeychainUnavailableError('locked')).mockImplementation(realGet);
    const getDeviceId = deviceIdProvider(store);
    await expect(getDeviceId()).rejects.toThrow('locked');
    await expect(getDeviceId()).resolves.toMatch(UUID);
  });
});

describe('remembered username', () => {
  it('is null until set, then remembered, then forgotten with null', async () => {
    const store = createMemorySecretStore();
    expect(await getRememberedUsername(store)).toBeNull();
    await setRememberedUsername(store, 'kari.lege@example.no');
    expect(await getRememberedUsername(store)).toBe('kari.lege@example.no');
    expect(store.entries.get(REMEMBERED_USERNAME_ACCOUNT)).toBe('kari.lege@example.no');
    await setRememberedUsername(store, null);
    expect(await getRememberedUsername(store)).toBeNull();
    expect(store.entries.has(REMEMBERED_USERNAME_ACCOUNT)).toBe(false);
  });

  it('forgets on an empty string (keytar cannot store one)', async () => {
    const store = createMemorySecretStore({ [REMEMBERED_USERNAME_ACCOUNT]: 'kari' });
    await setRememberedUsername(store, '');
    expect(store.entries.has(REMEMBERED_USERNAME_ACCOUNT)).toBe(false);
  });

  it('forgetting twice is fine', async () => {
    const store = createMemorySecretStore();
    await expect(setRememberedUsername(store, null)).resolves.toBeUndefined();
  });
});
