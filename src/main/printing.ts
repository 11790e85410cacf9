import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BrowserWindow, Dialog } from 'electron';
import type { DeskPdfOptions, DeskPrintOptions } from '../shared/desk-api';

/**
 * Printing goes through the main process (DESK-3): the renderer asks, after the backend has logged
 * the print (JRN-5), and the main process prints the window's own contents. The renderer never
 * hands over a file path or HTML; it may only give a footer line and a proposed file name.
 */

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/**
 * Chromium's PDF footer template: the footer text (escaped, so it stays text) and the page number
 * on every page. The template has its own tiny font size default, hence the inline style.
 */
export function pdfFooterTemplate(footer: string): string {
  return (
    '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;">' +
    `<span>${escapeHtml(footer)}</span>` +
    '<span><span class="pageNumber"></span>/<span class="totalPages"></span></span>' +
    '</div>'
  );
}

/** Open the OS print dialog for the window. Resolves false when cancelled or failed. */
export function printWithDialog(window: BrowserWindow, options: DeskPrintOptions): Promise<boolean> {
  return new Promise((resolve) => {
    window.webContents.print(
      { silent: false, printBackground: true, ...(options.footer ? { footer: options.footer } : {}) },
      (success) => resolve(success),
    );
  });
}

export const DEFAULT_PDF_FILE_NAME = 'journalkontor.pdf';

export interface PrintToPdfDependencies {
  dialog: Pick<Dialog, 'showSaveDialog'>;
  /** The folder the save dialog starts in (the user's documents). */
  defaultFolder: string;
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
}

/**
 * Render the window to PDF in memory and write it only where the user chose in the save dialog:
 * no temporary copy of a patient document is ever left on disk (DESK-2).
 */
export async function printToPdf(
  window: BrowserWindow,
  options: DeskPdfOptions,
  { dialog, defaultFolder, writeFile: write = writeFile }: PrintToPdfDependencies,
): Promise<boolean> {
  const pdf = await window.webContents.printToPDF({
    pageSize: 'A4',
    printBackground: true,
    ...(options.footer
      ? { displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: pdfFooterTemplate(options.footer) }
      : {}),
  });
  const choice = await dialog.showSaveDialog(window, {
    defaultPath: join(defaultFolder, options.suggestedFileName ?? DEFAULT_PDF_FILE_NAME),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  });
  if (choice.canceled || !choice.filePath) return false;
  await write(choice.filePath, pdf);
  return true;
}

/** What every PDF file begins with. */
const PDF_MAGIC = '%PDF-';

/** True when the bytes begin like a PDF document (`%PDF-`). */
export function isPdfDocument(bytes: Uint8Array): boolean {
  if (bytes.length < PDF_MAGIC.length) return false;
  for (let index = 0; index < PDF_MAGIC.length; index++) {
    if (bytes[index] !== PDF_MAGIC.charCodeAt(index)) return false;
  }
  return true;
}

export interface SavePdfDependencies {
  dialog: Pick<Dialog, 'showSaveDialog'>;
  /** The folder the save dialog starts in (the user's documents). */
  defaultFolder: string;
  writeFile?: (path: string, data: Uint8Array) => Promise<void>;
}

/**
 * Save a PDF the backend rendered (and logged, JRN-5) where the user chooses in the save dialog,
 * and nowhere else: no temporary copy is left on disk (DESK-2, DESK-3). The bytes were checked by
 * the IPC handler; checked again here, so this function never writes anything but a PDF.
 */
export async function savePdf(
  window: BrowserWindow,
  request: { pdf: Uint8Array; suggestedFileName: string },
  { dialog, defaultFolder, writeFile: write = writeFile }: SavePdfDependencies,
): Promise<boolean> {
  if (!isPdfDocument(request.pdf)) throw new Error('not a PDF document');
  const choice = await dialog.showSaveDialog(window, {
    defaultPath: join(defaultFolder, request.suggestedFileName),
    filters: [{ name: 'PDF', extensions: ['pdf'] }],
    properties: ['showOverwriteConfirmation', 'createDirectory'],
  });
  if (choice.canceled || !choice.filePath) return false;
  await write(choice.filePath, request.pdf);
  return true;
}
