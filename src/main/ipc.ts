import { app, dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import {
  DESK_CHANNELS,
  DESK_SAVE_PDF_MAX_BYTES,
  type DeskAppInfo,
  type DeskChannel,
  type DeskErrorCode,
} from '../shared/desk-api';
import { deviceIdProvider, getRememberedUsername, setRememberedUsername } from './device-identity';
import { KeychainUnavailableError, type SecretStore } from './keychain';
import { isPdfDocument, printToPdf, printWithDialog, savePdf } from './printing';
import { isAppUrl } from './trusted-url';

/**
 * The main-process side of `window.desk` (DESK-1). Each verb is one channel; each handler first
 * checks who is calling, then parses its arguments, and rejects with a bare error code: an error
 * crosses the process boundary, so it carries no data (not the arguments, not a path, not a cause).
 */

/** What isTrustedSender reads from an IPC event (an IpcMainInvokeEvent has these). */
export interface IpcSender {
  readonly sender: unknown;
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/**
 * Only the main frame of our own window, showing one of our own pages, may call. A subframe, a
 * page that navigated elsewhere (the frame's URL is read now, not when it loaded), another window's
 * contents, or a frame that is already gone (`senderFrame` is null or throws) may not.
 */
export function isTrustedSender(event: IpcSender, isOurContents: (sender: unknown) => boolean): boolean {
  let frame: IpcSender['senderFrame'];
  try {
    frame = event.senderFrame;
  } catch {
    return false;
  }
  if (!frame || frame.parent !== null) return false;
  return isOurContents(event.sender) && isAppUrl(frame.url);
}

export class DeskIpcError extends Error {
  readonly code: DeskErrorCode;
  constructor(code: DeskErrorCode) {
    super(code);
    this.code = code;
    this.name = 'DeskIpcError';
  }
}

const noArgumentsSchema = z.tuple([]);

/** A username as typed on the login screen (an e-mail address at most); null forgets it. */
const rememberedUsernameArgumentsSchema = z.tuple([z.string().max(254).nullable()]);

const printableTextSchema = z
  .string()
  .max(300)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\u0000-\u001f\u007f]*$/);

/** A bare file name for the save dialog: no folders, no characters Windows refuses, ends in .pdf. */
const pdfFileNameSchema = z
  .string()
  .max(120)
  // eslint-disable-next-line no-control-regex
  .regex(/^[^\\/:*?"<>|\u0000-\u001f\u007f.][^\\/:*?"<>|\u0000-\u001f\u007f]*\.pdf$/i);

const printOptionsSchema = z.strictObject({ footer: printableTextSchema.optional() });
const pdfOptionsSchema = z.strictObject({
  footer: printableTextSchema.optional(),
  suggestedFileName: pdfFileNameSchema.optional(),
});

const printArgumentsSchema = z.tuple([printOptionsSchema]);
const pdfArgumentsSchema = z.tuple([pdfOptionsSchema]);

/** Base64 of at most DESK_SAVE_PDF_MAX_BYTES bytes: checked as text before anything is decoded. */
const MAX_PDF_BASE64_LENGTH = Math.ceil(DESK_SAVE_PDF_MAX_BYTES / 3) * 4;

/** A PDF as the backend sends it (journal.print): canonical base64 that decodes to `%PDF-…`. */
const pdfBase64Schema = z
  .string()
  .min(8)
  .max(MAX_PDF_BASE64_LENGTH)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/)
  .refine((value) => value.length % 4 === 0)
  .transform((value) => Buffer.from(value, 'base64'))
  .refine((pdf) => pdf.length <= DESK_SAVE_PDF_MAX_BYTES && isPdfDocument(pdf));

const savePdfArgumentsSchema = z.tuple([
  z.strictObject({ pdfBase64: pdfBase64Schema, suggestedFileName: pdfFileNameSchema }),
]);

export interface IpcDependencies {
  /** The app's window, or null before it exists / after it closed. */
  getMainWindow(): BrowserWindow | null;
  secretStore: SecretStore;
  backendUrl: string;
}

function errorCodeFor(error: unknown): DeskErrorCode {
  return error instanceof KeychainUnavailableError ? 'DESK_KEYCHAIN_UNAVAILABLE' : 'DESK_FAILED';
}

export function registerIpcHandlers({ getMainWindow, secretStore, backendUrl }: IpcDependencies): void {
  const liveMainWindow = (): BrowserWindow | null => {
    const window = getMainWindow();
    return window && !window.isDestroyed() ? window : null;
  };
  const isOurContents = (sender: unknown): boolean => {
    const window = liveMainWindow();
    return window !== null && window.webContents === sender;
  };

  function handle<Arguments extends unknown[], Result>(
    channel: DeskChannel,
    argumentsSchema: z.ZodType<Arguments>,
    run: (args: Arguments, window: BrowserWindow) => Promise<Result> | Result,
  ): void {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]): Promise<Result> => {
      const window = liveMainWindow();
      if (!window || !isTrustedSender(event, isOurContents)) throw new DeskIpcError('DESK_FORBIDDEN');
      const parsed = argumentsSchema.safeParse(args);
      if (!parsed.success) throw new DeskIpcError('DESK_BAD_REQUEST');
      try {
        return await run(parsed.data, window);
      } catch (error) {
        // The cause stays in the main process's log (it may name a path or a keychain error).
        console.error(`Journalkontor: ${channel} failed`, error);
        throw new DeskIpcError(errorCodeFor(error));
      }
    });
  }

  const getDeviceId = deviceIdProvider(secretStore);

  handle(DESK_CHANNELS.appInfo, noArgumentsSchema, (): DeskAppInfo => ({
    version: app.getVersion(),
    platform: process.platform,
    backendUrl,
    locale: app.getLocale(),
  }));
  handle(DESK_CHANNELS.getDeviceId, noArgumentsSchema, () => getDeviceId());
  handle(DESK_CHANNELS.getRememberedUsername, noArgumentsSchema, () => getRememberedUsername(secretStore));
  handle(DESK_CHANNELS.setRememberedUsername, rememberedUsernameArgumentsSchema, ([username]) =>
    setRememberedUsername(secretStore, username),
  );
  handle(DESK_CHANNELS.printDialog, printArgumentsSchema, ([options], window) => printWithDialog(window, options));
  handle(DESK_CHANNELS.printPdf, pdfArgumentsSchema, ([options], window) =>
    printToPdf(window, options, { dialog, defaultFolder: app.getPath('documents') }),
  );
  handle(DESK_CHANNELS.savePdf, savePdfArgumentsSchema, ([request], window) =>
    savePdf(window, { pdf: request.pdfBase64, suggestedFileName: request.suggestedFileName }, { dialog, defaultFolder: app.getPath('documents') }),
  );
}
