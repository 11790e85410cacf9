import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatNationalId, previewOf } from '../../../src/renderer/src/features/journal/preview';
import { base64ToBytes, deliverPdf, safeFileName } from '../../../src/renderer/src/lib/download';

describe('previewOf (a journal of thousands of notes renders previews, not bodies)', () => {
  it('keeps a short one-line text whole', () => {
    expect(previewOf('Kontroll. Hosten er borte.')).toEqual({ text: 'Kontroll. Hosten er borte.', isTruncated: false });
  });

  it('flattens line breaks, and says there is more to see', () => {
    expect(previewOf('Linje én\n\nLinje to')).toEqual({ text: 'Linje én Linje to', isTruncated: true });
  });

  it('cuts a long text at a word, with an ellipsis', () => {
    const body = 'ord '.repeat(200);
    const preview = previewOf(body, 50);
    expect(preview.isTruncated).toBe(true);
    expect(preview.text.length).toBeLessThanOrEqual(52);
    expect(preview.text.endsWith(' …')).toBe(true);
    expect(preview.text).not.toMatch(/ o …$/);
  });

  it('cuts a long word where it must', () => {
    expect(previewOf('x'.repeat(500), 20).text).toBe(`${'x'.repeat(20)} …`);
  });
});

describe('formatNationalId', () => {
  it('groups the 11 digits as 6 + 5', () => {
    expect(formatNationalId('15076512345')).toBe('150765 12345');
    expect(formatNationalId('1234')).toBe('1234');
  });
});

describe('base64ToBytes', () => {
  it('decodes what the server sends, Norwegian letters in the bytes included', () => {
    const bytes = base64ToBytes(Buffer.from('%PDF-1.3 æøå', 'utf8').toString('base64'));
    expect(Buffer.from(bytes).toString('utf8')).toBe('%PDF-1.3 æøå');
  });
});

describe('safeFileName', () => {
  it.each([
    ['Tilgangsregister Lars Lege 2026-02-01', 'json', 'tilgangsregister-lars-lege-2026-02-01.json'],
    ['../../etc/passwd', 'json', 'etcpasswd.json'],
    ['.hidden', 'json', 'hidden.json'],
    ['a\u0000b:c*d?', 'json', 'abcd.json'],
    ['', 'pdf', 'journalkontor.pdf'],
    ['Åse Ødegård', 'pdf', 'åse-ødegård.pdf'],
  ])('%j → %s', (stem, extension, expected) => {
    expect(safeFileName(stem, extension)).toBe(expected);
  });

  it('stays within 120 characters', () => {
    expect(safeFileName('x'.repeat(500), 'json')).toHaveLength(120);
  });
});

describe('deliverPdf in the desktop app (DESK-3)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('hands the PDF to the main process with the proposed name, and reports a cancel', async () => {
    const savePdf = vi.fn(async () => true);
    vi.stubGlobal('window', { desk: { savePdf } });
    await expect(deliverPdf({ pdfBase64: 'JVBERi0=', fileName: 'journal-2026-02-01.pdf' })).resolves.toBe('saved');
    expect(savePdf).toHaveBeenCalledWith({ pdfBase64: 'JVBERi0=', suggestedFileName: 'journal-2026-02-01.pdf' });
    savePdf.mockResolvedValueOnce(false);
    await expect(deliverPdf({ pdfBase64: 'JVBERi0=', fileName: 'journal.pdf' })).resolves.toBe('cancelled');
  });

  it('proposes a plain name if the server\'s is not one the main process takes', async () => {
    const savePdf = vi.fn(async () => true);
    vi.stubGlobal('window', { desk: { savePdf } });
    await deliverPdf({ pdfBase64: 'JVBERi0=', fileName: '../x.pdf' });
    expect(savePdf).toHaveBeenCalledWith({ pdfBase64: 'JVBERi0=', suggestedFileName: 'journal.pdf' });
  });
});
