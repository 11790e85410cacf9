/**
 * The username remembered on this device, through the OS keychain in the desktop app (DESK-2).
 * The browser fallback remembers nothing. Keychain failures are not the user's problem: the field
 * is simply empty.
 */
export async function rememberedUsername(): Promise<string | null> {
  if (!window.desk) return null;
  try {
    return await window.desk.getRememberedUsername();
  } catch {
    return null;
  }
}

export async function rememberUsername(username: string): Promise<void> {
  if (!window.desk) return;
  try {
    await window.desk.setRememberedUsername(username);
  } catch {
    // DESK_KEYCHAIN_UNAVAILABLE: nothing remembered, nothing lost.
  }
}
