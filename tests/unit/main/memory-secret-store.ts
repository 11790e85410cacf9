import type { SecretStore } from '../../../src/main/keychain';

/** A SecretStore in a Map, for tests of what we keep (not of the keychain itself). */
export function createMemorySecretStore(initial: Record<string, string> = {}): SecretStore & {
  entries: Map<string, string>;
} {
  const entries = new Map(Object.entries(initial));
  return {
    entries,
    get: async (account) => entries.get(account) ?? null,
    set: async (account, value) => {
      entries.set(account, value);
    },
    delete: async (account) => entries.delete(account),
  };
}
