import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The text of a PDF as pdftotext (poppler-utils), an independent reader, sees it. */
export function pdfText(base64: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'jk-dpo-report-'));
  const path = join(folder, 'report.pdf');
  writeFileSync(path, Buffer.from(base64, 'base64'));
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

export const hasPdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
