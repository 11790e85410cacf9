import PDFDocument from 'pdfkit';
import { formatCalendarDate, formatDateTime } from '../../shared/oslo-time';

/**
 * Renders notes to a PDF with "printed by, when" on every page (JRN-5). The standard Helvetica font
 * covers Norwegian letters (æ, ø, å) through WinAnsi; characters it cannot show become '?', so the
 * document never silently drops text.
 */
export interface PrintableNote {
  noteType: string;
  consultationDate: string;
  status: string;
  authorName: string;
  body: string;
  version: number;
  signedByName: string | null;
  signedAt: Date | null;
  amendmentReason: string | null;
}

export interface PrintRequest {
  organisationName: string;
  patient: { givenName: string; familyName: string; nationalId: string; dateOfBirth: string };
  notes: PrintableNote[];
  printedBy: { displayName: string; profession: string | null };
  printedAt: Date;
  hasBlockedNotes: boolean;
}

const NOTE_TYPE_LABELS: Record<string, string> = {
  consultation: 'Konsultasjon',
  phone: 'Telefon',
  home_visit: 'Hjemmebesøk',
  letter: 'Brev',
  correction_refused: 'Avslått retting',
  other: 'Annet',
};
const STATUS_LABELS: Record<string, string> = { draft: 'Utkast', signed: 'Signert', amended: 'Rettet' };
const PROFESSION_LABELS: Record<string, string> = {
  lege: 'lege',
  psykolog: 'psykolog',
  psykolog_i_spesialisering: 'psykolog i spesialisering',
  sykepleier: 'sykepleier',
  annet: 'helsepersonell',
};

// WinAnsi (cp1252) covers Latin-1 plus a few typographic characters; anything else becomes '?'.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function printable(text: string): string {
  return [...text].map((character) => (character === '\n' || character === '\t' || (character >= ' ' && character <= 'ÿ') || WIN_ANSI_EXTRA.has(character) ? character : '?')).join('');
}

/** Printed on every page: the document is covered by the duty of confidentiality wherever it ends up. */
export const CONFIDENTIALITY_LINE = 'Taushetsbelagt – helsepersonelloven § 21';

/**
 * Who wrote the note and who made the version printed (JRN-4: an amended note names who amended it,
 * the original stays in the history).
 */
function provenance(note: PrintableNote): string {
  const when = note.signedAt ? ` ${formatDateTime(note.signedAt)}` : '';
  if (note.status === 'amended' && note.signedByName) return `Skrevet av ${note.authorName}. Rettet av ${note.signedByName} (versjon ${note.version})${when}`;
  const signature = note.signedAt && note.signedByName ? `signert av ${note.signedByName}${when}` : 'ikke signert';
  return `Skrevet av ${note.authorName}, versjon ${note.version}, ${signature}`;
}

export function renderJournalPdf(request: PrintRequest): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 72, left: 56, right: 56 }, bufferPages: true, info: { Title: 'Journalutskrift', Producer: 'Journalkontor' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const { patient } = request;
  doc.font('Helvetica-Bold').fontSize(16).text(printable(`Journal: ${patient.familyName}, ${patient.givenName}`));
  doc.font('Helvetica').fontSize(10).text(printable(`Fødselsnummer ${patient.nationalId} · født ${formatCalendarDate(patient.dateOfBirth)} · ${request.organisationName}`));
  if (request.hasBlockedNotes) {
    doc.moveDown(0.5).font('Helvetica-Oblique').text('Noe av journalen er sperret for deg og er ikke med i utskriften.');
  }
  doc.moveDown();

  for (const note of request.notes) {
    doc.font('Helvetica-Bold').fontSize(11).text(printable(`${formatCalendarDate(note.consultationDate)} · ${NOTE_TYPE_LABELS[note.noteType] ?? note.noteType} · ${STATUS_LABELS[note.status] ?? note.status}`));
    doc.font('Helvetica').fontSize(9).fillColor('#444').text(printable(provenance(note)));
    if (note.amendmentReason) doc.text(printable(`Begrunnelse for rettingen: ${note.amendmentReason}`));
    doc.fillColor('black').fontSize(10).moveDown(0.3).text(printable(note.body), { align: 'left' });
    doc.moveDown();
  }
  if (request.notes.length === 0) doc.font('Helvetica-Oblique').text('Ingen notater å skrive ut.');

  // "Printed by, when" on every page, written once all pages exist (so "page x of y" is known).
  const profession = request.printedBy.profession ? `, ${PROFESSION_LABELS[request.printedBy.profession] ?? request.printedBy.profession}` : '';
  const footer = `Skrevet ut av ${request.printedBy.displayName}${profession}, ${formatDateTime(request.printedAt)}`;
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font('Helvetica-Bold').fontSize(8).fillColor('#444').text(printable(CONFIDENTIALITY_LINE), doc.page.margins.left, doc.page.height - 52, { width, align: 'center', lineBreak: false });
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#444')
      .text(printable(`${footer} · side ${index - range.start + 1} av ${range.count}`), doc.page.margins.left, doc.page.height - 40, {
        width,
        align: 'center',
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
