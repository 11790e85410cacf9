/**
 * Files the app hands to the user. In the desktop app a PDF goes to the main process, which shows
 * the save dialog and writes only where the user chose (DESK-3); in the browser fallback the file
 * is downloaded from a blob: URL through <a download> (no navigation, no new window, allowed by
 * the Content Security Policy).
 */

/** Base64 (as the server sends a PDF) → bytes. */
export function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** A file name without characters file systems refuse, at most 120 characters, ending as given. */
export function safeFileName(stem: string, extension: string): string {
  const cleaned = stem
    .normalize('NFC')
    .toLowerCase()
    // eslint-disable-next-line no-control-regex
    .replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, '')
    .replace(/\s+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 120 - extension.length - 1);
  return `${cleaned || 'journalkontor'}.${extension}`;
}

/** Downloads a blob in the browser under the given name. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; let it go after a moment, and the bytes with it.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type PdfDelivery = 'saved' | 'cancelled' | 'downloaded';

/** Hands a PDF the backend printed (and logged) to the user: the desktop's save dialog, or a download. */
export async function deliverPdf(pdf: { pdfBase64: string; fileName: string }): Promise<PdfDelivery> {
  const fileName = /^[^\\/:*?"<>|.][^\\/:*?"<>|]*\.pdf$/i.test(pdf.fileName) && pdf.fileName.length <= 120 ? pdf.fileName : 'journal.pdf';
  if (window.desk) {
    return (await window.desk.savePdf({ pdfBase64: pdf.pdfBase64, suggestedFileName: fileName })) ? 'saved' : 'cancelled';
  }
  downloadBlob(new Blob([base64ToBytes(pdf.pdfBase64)], { type: 'application/pdf' }), fileName);
  return 'downloaded';
}
