import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { escapeHtml, isPdfDocument, pdfFooterTemplate, printToPdf, printWithDialog, savePdf } from '../../../src/main/printing';

// DESK-3 / JRN-5: printing the window's own contents, with "printed by, when" on every page.

function fakeWindow(printSucceeds = true) {
  const webContents = {
    print: vi.fn((_options: unknown, callback: (success: boolean, reason: string) => void) =>
      callback(printSucceeds, printSucceeds ? '' : 'cancelled'),
    ),
    printToPDF: vi.fn(async () => Buffer.from('%PDF-1.7 fake')),
  };
  return { window: { webContents } as unknown as BrowserWindow, webContents };
}

describe('pdfFooterTemplate', () => {
  it('escapes the footer so it stays text', () => {
    const template = pdfFooterTemplate('Skrevet ut av <img src=x onerror=alert(1)> & "Kari" \'Lege\'');
    expect(template).toContain('Skrevet ut av &lt;img src=x onerror=alert(1)&gt; &amp; &quot;Kari&quot; &#39;Lege&#39;');
    expect(template).not.toContain('<img');
    expect(template).toContain('class="pageNumber"');
    expect(template).toContain('class="totalPages"');
  });

  it('escapeHtml escapes & first', () => {
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('printWithDialog', () => {
  it('opens the OS dialog (never silent) with the footer, and reports the outcome', async () => {
    const { window, webContents } = fakeWindow();
    await expect(printWithDialog(window, { footer: 'Skrevet ut av Kari' })).resolves.toBe(true);
    expect(webContents.print).toHaveBeenCalledWith(
      { silent: false, printBackground: true, footer: 'Skrevet ut av Kari' },
      expect.any(Function),
    );
  });

  it('resolves false when cancelled', async () => {
    const { window, webContents } = fakeWindow(false);
    await expect(printWithDialog(window, {})).resolves.toBe(false);
    expect(webContents.print.mock.calls[0]?.[0]).toEqual({ silent: false, printBackground: true });
  });
});

describe('printToPdf', () => {
  it('writes the PDF only where the user chose', async () => {
    const { window, webContents } = fakeWindow();
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: '/home/kari/Dokumenter/notat.pdf' }));
    const write = vi.fn(async () => {});
    const saved = await printToPdf(
      window,
      { footer: 'Skrevet ut av Kari, 01.02.2026 13:45', suggestedFileName: 'notat.pdf' },
      { dialog: { showSaveDialog } as never, defaultFolder: '/home/kari/Dokumenter', writeFile: write },
    );
    expect(saved).toBe(true);
    expect(webContents.printToPDF).toHaveBeenCalledWith(
      expect.objectContaining({ pageSize: 'A4', displayHeaderFooter: true, footerTemplate: expect.stringContaining('Skrevet ut av Kari') }),
    );
    expect(showSaveDialog).toHaveBeenCalledWith(window, expect.objectContaining({ defaultPath: '/home/kari/Dokumenter/notat.pdf' }));
    expect(write).toHaveBeenCalledExactlyOnceWith('/home/kari/Dokumenter/notat.pdf', Buffer.from('%PDF-1.7 fake'));
  });

  it('writes nothing when the user cancels', async () => {
    const { window } = fakeWindow();
    const write = vi.fn(async () => {});
    const saved = await printToPdf(window, {}, {
      dialog: { showSaveDialog: async () => ({ canceled: true, filePath: '' }) } as never,
      defaultFolder: '/tmp',
      writeFile: write,
    });
    expect(saved).toBe(false);
    expect(write).not.toHaveBeenCalled();
  });

  it('has no header or footer without a footer text, and proposes a default name', async () => {
    const { window, webContents } = fakeWindow();
    const showSaveDialog = vi.fn(async () => ({ canceled: true, filePath: '' }));
    await printToPdf(window, {}, { dialog: { showSaveDialog } as never, defaultFolder: '/docs', writeFile: vi.fn() });
    expect(webContents.printToPDF).toHaveBeenCalledWith({ pageSize: 'A4', printBackground: true });
    expect(showSaveDialog).toHaveBeenCalledWith(window, expect.objectContaining({ defaultPath: '/docs/journalkontor.pdf' }));
  });
});

describe('isPdfDocument', () => {
  it.each([
    ['%PDF-1.7 …', true],
    ['%PDF-', true],
    ['%PDF', false],
    ['', false],
    [' %PDF-1.7', false],
    ['%pdf-1.7', false],
    ['<html>', false],
  ])('%j → %s', (text, expected) => {
    expect(isPdfDocument(Buffer.from(text, 'latin1'))).toBe(expected);
  });
});

describe('savePdf', () => {
  it('writes the given PDF only where the user chose', async () => {
    const { window } = fakeWindow();
    const pdf = Buffer.from('%PDF-1.3 journal');
    const showSaveDialog = vi.fn(async () => ({ canceled: false, filePath: '/home/kari/Dokumenter/journal.pdf' }));
    const write = vi.fn(async () => {});
    await expect(savePdf(window, { pdf, suggestedFileName: 'journal.pdf' }, { dialog: { showSaveDialog } as never, defaultFolder: '/home/kari/Dokumenter', writeFile: write })).resolves.toBe(true);
    expect(showSaveDialog).toHaveBeenCalledWith(window, expect.objectContaining({ defaultPath: '/home/kari/Dokumenter/journal.pdf' }));
    expect(write).toHaveBeenCalledExactlyOnceWith('/home/kari/Dokumenter/journal.pdf', pdf);
  });

  it('writes nothing when cancelled', async () => {
    const { window } = fakeWindow();
    const write = vi.fn(async () => {});
    const showSaveDialog = async () => ({ canceled: true, filePath: '' });
    await expect(savePdf(window, { pdf: Buffer.from('%PDF-1.3'), suggestedFileName: 'a.pdf' }, { dialog: { showSaveDialog } as never, defaultFolder: '/tmp', writeFile: write })).resolves.toBe(false);
    expect(write).not.toHaveBeenCalled();
  });

  it('refuses anything but a PDF, before the dialog', async () => {
    const { window } = fakeWindow();
    const showSaveDialog = vi.fn();
    await expect(savePdf(window, { pdf: Buffer.from('<html>'), suggestedFileName: 'a.pdf' }, { dialog: { showSaveDialog } as never, defaultFolder: '/tmp', writeFile: vi.fn() })).rejects.toThrow();
    expect(showSaveDialog).not.toHaveBeenCalled();
  });
});
