import { contextBridge, ipcRenderer } from 'electron';
import {
  DESK_CHANNELS,
  DESK_ERROR_CODES,
  type DeskApi,
  type DeskChannel,
  type DeskErrorCode,
} from '../shared/desk-api';

/**
 * Builds the one `window.desk` object (DESK-1). Each verb invokes its own fixed channel; the page
 * never gets `ipcRenderer`, a channel name of its choosing, or anything of node. Runs sandboxed,
 * bundled to one CommonJS file (see electron.vite.config.ts).
 */

/**
 * Electron wraps a handler's error as "Error invoking remote method 'x': Error: DESK_…"; give the
 * page just the code, the only thing the main process put in it.
 */
function deskErrorCode(error: unknown): DeskErrorCode {
  const message = error instanceof Error ? error.message : '';
  return DESK_ERROR_CODES.find((code) => message.includes(code)) ?? 'DESK_FAILED';
}

async function invoke<Result>(channel: DeskChannel, ...args: unknown[]): Promise<Result> {
  try {
    return (await ipcRenderer.invoke(channel, ...args)) as Result;
  } catch (error) {
    // Deliberately no `cause`: the page gets the code and nothing else of the main process's error.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(deskErrorCode(error));
  }
}

const desk = {
  getAppInfo: () => invoke(DESK_CHANNELS.appInfo),
  getDeviceId: () => invoke(DESK_CHANNELS.getDeviceId),
  getRememberedUsername: () => invoke(DESK_CHANNELS.getRememberedUsername),
  setRememberedUsername: (username) => invoke(DESK_CHANNELS.setRememberedUsername, username),
  printWithDialog: (options) => invoke(DESK_CHANNELS.printDialog, options ?? {}),
  printToPdf: (options) => invoke(DESK_CHANNELS.printPdf, options ?? {}),
  savePdf: (request) => invoke(DESK_CHANNELS.savePdf, request),
} satisfies DeskApi;

contextBridge.exposeInMainWorld('desk', desk);
