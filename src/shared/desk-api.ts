/**
 * The one object the preload exposes to the renderer as `window.desk` (DESK-1): a handful of named
 * verbs, each backed by one IPC channel whose handler checks the sender and parses its arguments.
 * Shared by main, preload and renderer, so no electron, node or DOM imports here.
 *
 * Every verb may reject with an Error whose message is one of DESK_ERROR_CODES and nothing else:
 * errors cross the process boundary and must carry no data.
 */

export interface DeskAppInfo {
  /** The app's version (package.json). */
  version: string;
  /** `process.platform` of the machine: 'linux', 'darwin', 'win32' … */
  platform: string;
  /** The backend this app talks to (DESK-5): https, or http on loopback only. */
  backendUrl: string;
  /** The operating system's locale (e.g. 'nb-NO'), a hint for the first language choice. */
  locale: string;
}

export interface DeskPrintOptions {
  /**
   * Plain text printed at the foot of every page, e.g. "Skrevet ut av Kari Lege, 01.02.2026 13:45"
   * (JRN-5). Plain text only (at most 300 characters); it is escaped, never read as HTML.
   */
  footer?: string;
}

export interface DeskPdfOptions extends DeskPrintOptions {
  /** The file name the save dialog proposes, ending in `.pdf` (no folders). */
  suggestedFileName?: string;
}

/** The largest PDF `savePdf` accepts (the decoded document, in bytes). */
export const DESK_SAVE_PDF_MAX_BYTES = 50 * 1024 * 1024;

export interface DeskSavePdfRequest {
  /** The document the backend produced (journal.print), base64 encoded; must be a PDF (`%PDF-`). */
  pdfBase64: string;
  /** The file name the save dialog proposes, ending in `.pdf` (no folders). */
  suggestedFileName: string;
}

export interface DeskApi {
  getAppInfo(): Promise<DeskAppInfo>;
  /** This installation's device identity, kept in the OS keychain (AUTH-6, DESK-2). */
  getDeviceId(): Promise<string>;
  /** The username remembered on this device, or null. */
  getRememberedUsername(): Promise<string | null>;
  /** Remember a username (at most 254 characters) on this device, or forget it with null. */
  setRememberedUsername(username: string | null): Promise<void>;
  /**
   * Print the current window through the OS print dialog. Call only after the backend has logged
   * the print (DESK-3, JRN-5). Resolves false when the user cancelled or printing failed.
   */
  printWithDialog(options?: DeskPrintOptions): Promise<boolean>;
  /**
   * Save the current window as a PDF file the user picks. Call only after the backend has logged
   * the print (DESK-3, JRN-5). Resolves false when the user cancelled the save dialog.
   */
  printToPdf(options?: DeskPdfOptions): Promise<boolean>;
  /**
   * Save a PDF the backend produced (and logged: JRN-5, DESK-3) where the user picks in the save
   * dialog; nothing is written anywhere else. At most DESK_SAVE_PDF_MAX_BYTES. Resolves false when
   * the user cancelled.
   */
  savePdf(request: DeskSavePdfRequest): Promise<boolean>;
}

/** The verbs, listed once so tests can check the exposed object has exactly these. */
export const DESK_API_VERBS = [
  'getAppInfo',
  'getDeviceId',
  'getRememberedUsername',
  'setRememberedUsername',
  'printWithDialog',
  'printToPdf',
  'savePdf',
] as const satisfies readonly (keyof DeskApi)[];

/** One IPC channel per verb; main registers exactly these, the preload invokes exactly these. */
export const DESK_CHANNELS = {
  appInfo: 'app:info',
  getDeviceId: 'keychain:get-device-id',
  getRememberedUsername: 'keychain:get-remembered-username',
  setRememberedUsername: 'keychain:set-remembered-username',
  printDialog: 'print:dialog',
  printPdf: 'print:pdf',
  savePdf: 'print:save-pdf',
} as const;

export type DeskChannel = (typeof DESK_CHANNELS)[keyof typeof DESK_CHANNELS];

/** The only messages a rejected verb carries. */
export const DESK_ERROR_CODES = [
  /** The call did not come from the app's own main frame. */
  'DESK_FORBIDDEN',
  /** The arguments did not parse. */
  'DESK_BAD_REQUEST',
  /** The OS keychain could not be reached (no keyring, keytar missing). */
  'DESK_KEYCHAIN_UNAVAILABLE',
  /** Anything else went wrong in the main process (details are in the main process's log). */
  'DESK_FAILED',
] as const;

export type DeskErrorCode = (typeof DESK_ERROR_CODES)[number];

declare global {
  interface Window {
    /** Present in the desktop app, absent when the renderer runs in a plain browser. */
    desk?: DeskApi;
  }
}
