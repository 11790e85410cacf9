/**
 * The OS keychain behind one small interface (DESK-2). keytar is the implementation today; its
 * repository is archived and Electron's `safeStorage` is the usual successor, so nothing outside
 * this file knows which library holds the secrets.
 */

/** Secrets of this app, one value per account name. */
export interface SecretStore {
  get(account: string): Promise<string | null>;
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** The service name the OS keychain shows for our entries. */
export const KEYCHAIN_SERVICE = 'Journalkontor';

/** Thrown when there is no keychain to talk to; its message names the cause, never a secret. */
export class KeychainUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KeychainUnavailableError';
  }
}

/** The part of keytar we use (its own types, restated so keytar need not be installed to compile). */
export interface KeytarModule {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * keytar is an optional dependency (a native module that needs libsecret to build), so it is
 * loaded when first needed and its absence is an error the app can show, not a crash at start.
 * The specifier is a variable so the bundler leaves the import to run time: electron-vite only
 * externalises `dependencies`, and a native module cannot be bundled.
 */
export async function loadKeytar(): Promise<KeytarModule> {
  const specifier = 'keytar';
  let loaded: { default?: KeytarModule } & Partial<KeytarModule>;
  try {
    loaded = (await import(/* @vite-ignore */ specifier)) as typeof loaded;
  } catch (error) {
    throw new KeychainUnavailableError(
      'The OS keychain module (keytar) is not installed or was not built for this platform; ' +
        'install libsecret-1-dev and reinstall dependencies.',
      { cause: error },
    );
  }
  const keytar = loaded.default ?? loaded;
  if (typeof keytar.getPassword !== 'function') {
    throw new KeychainUnavailableError('The keytar module loaded but does not look like keytar.');
  }
  return keytar as KeytarModule;
}

/**
 * A SecretStore in the OS keychain (libsecret's Secret Service on Linux, Keychain on macOS,
 * Credential Manager on Windows). Every failure of the keychain itself (no Secret Service running,
 * a locked keyring) becomes a KeychainUnavailableError.
 */
export function createKeytarSecretStore(
  service: string = KEYCHAIN_SERVICE,
  load: () => Promise<KeytarModule> = loadKeytar,
): SecretStore {
  let keytar: Promise<KeytarModule> | undefined;
  const withKeytar = async <T>(action: (module: KeytarModule) => Promise<T>): Promise<T> => {
    keytar ??= load();
    const module = await keytar.catch((error: unknown) => {
      keytar = undefined; // let a later call try again (e.g. after the keyring was unlocked)
      throw error;
    });
    try {
      return await action(module);
    } catch (error) {
      throw new KeychainUnavailableError('The OS keychain refused the request.', { cause: error });
    }
  };
  return {
    get: (account) => withKeytar((module) => module.getPassword(service, account)),
    set: (account, value) => withKeytar((module) => module.setPassword(service, account, value)),
    delete: (account) => withKeytar((module) => module.deletePassword(service, account)),
  };
}
