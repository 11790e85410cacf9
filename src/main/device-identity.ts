import { randomUUID } from 'node:crypto';
import type { SecretStore } from './keychain';

/** Keychain account names of what the desktop app keeps about this device (DESK-2). */
export const DEVICE_ID_ACCOUNT = 'device-id';
export const REMEMBERED_USERNAME_ACCOUNT = 'remembered-username';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * This installation's device identity (AUTH-6): a random UUID made on first use and kept in the
 * keychain, so a login from a new machine (or a wiped keychain) shows up as a new device. A value
 * that is not a UUID (edited by hand, written by something else) is replaced rather than sent on:
 * the worst case is one more "new device" event, never a malformed id in the audit log.
 */
export async function getOrCreateDeviceId(
  store: SecretStore,
  createId: () => string = randomUUID,
): Promise<string> {
  const existing = await store.get(DEVICE_ID_ACCOUNT);
  if (existing !== null && UUID_PATTERN.test(existing)) return existing;
  const created = createId();
  await store.set(DEVICE_ID_ACCOUNT, created);
  return created;
}

/**
 * Memoise the device id for the life of the process: two windows (or a double click) asking at
 * once must not each create a different id. A failed attempt is forgotten so the next call retries.
 */
export function deviceIdProvider(store: SecretStore, createId?: () => string): () => Promise<string> {
  let pending: Promise<string> | undefined;
  return () => {
    pending ??= getOrCreateDeviceId(store, createId).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

export async function getRememberedUsername(store: SecretStore): Promise<string | null> {
  return store.get(REMEMBERED_USERNAME_ACCOUNT);
}

/** Remember a username, or forget it with null (or an empty string, which keytar cannot store). */
export async function setRememberedUsername(store: SecretStore, username: string | null): Promise<void> {
  if (username === null || username === '') {
    await store.delete(REMEMBERED_USERNAME_ACCOUNT);
    return;
  }
  await store.set(REMEMBERED_USERNAME_ACCOUNT, username);
}
