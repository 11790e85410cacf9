import PDFDocument from 'pdfkit';
import { formatCalendarDate, formatDateTime } from '../../../shared/oslo-time';
import { PACKAGE_FIELD_LABELS, PACKAGE_SECTION_LABELS } from '../../../shared/dpo-package-labels';
import { CONFIDENTIALITY_LINE } from '../../journal/print';
import type { ReleasedContent } from './service';

/**
 * The access package as a readable PDF (DPO-5): a heading per module, each item's fields as
 * "name: value" lines, named in Bokmål by the labels the review screen uses (dpo-package-labels.ts),
 * the journal's notes with their text, and what was withheld on which legal ground. Helvetica's
 * WinAnsi covers Norwegian letters; anything else becomes '?'.
 */
const SECTION_TITLES: Record<string, string> = PACKAGE_SECTION_LABELS.nb;
const FIELD_LABELS: Record<string, string> = PACKAGE_FIELD_LABELS.nb;

/** "Navn: Kari Nordmann": a field by its Bokmål name (a code without one as it is), a list of codes joined; nested records are left to the JSON and FHIR files. */
function fieldLine([key, value]: [string, unknown]): string | null {
  if (key === 'id' || key === 'body' || value === null || value === undefined) return null;
  const text = Array.isArray(value) ? (value.every((entry) => typeof entry === 'string') ? value.join(', ') : null) : typeof value === 'object' ? null : String(value);
  return text === null || text === '' ? null : `${FIELD_LABELS[key] ?? key}: ${text}`;
}

const REASON_TEXT: Record<string, string> = {
  gdpr_15_4_third_party: 'opplysninger om andre (personvernforordningen art. 15 nr. 4)',
  pasjl_18_third_party: 'opplysninger om andre (pasientjournalloven § 18, pasient- og brukerrettighetsloven § 5-1)',
  hpl_41_harm: 'kan skade pasientens liv eller helse (helsepersonelloven § 41)',
  pasrl_5_1_harm: 'kan skade pasientens liv eller helse (pasient- og brukerrettighetsloven § 5-1 annet ledd)',
  other_legal_ground: 'annet lovgrunnlag',
};

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function printable(text: string): string {
  return [...text].map((character) => (character === '\n' || (character >= ' ' && character <= 'ÿ') || WIN_ANSI_EXTRA.has(character) ? character : '?')).join('');
}

export function renderPackagePdf(content: ReleasedContent, by: { displayName: string; at: Date }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 72, left: 56, right: 56 }, bufferPages: true, info: { Title: 'Innsyn', Producer: 'Journalkontor' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(printable(`Innsyn: ${content.case.reference}`));
  doc.font('Helvetica').fontSize(10).text(printable(`Mottatt ${formatCalendarDate(content.case.receivedOn)} · utarbeidet ${formatDateTime(content.preparedAt)}`));
  doc.moveDown();
  for (const [section, items] of Object.entries(content.sections)) {
    doc.font('Helvetica-Bold').fontSize(13).text(printable(SECTION_TITLES[section] ?? section));
    if (items.length === 0) doc.font('Helvetica-Oblique').fontSize(10).text('Ingen opplysninger funnet.');
    for (const item of items) {
      const lines = Object.entries(item).flatMap((field) => fieldLine(field) ?? []);
      doc.font('Helvetica').fontSize(9).fillColor('#333').text(printable(lines.join(' · ')));
      if (typeof item.body === 'string') doc.fillColor('black').fontSize(10).text(printable(item.body));
      doc.fillColor('black').moveDown(0.4);
    }
    doc.moveDown();
  }
  if (content.withheld.length > 0) {
    doc.font('Helvetica-Bold').fontSize(13).text('Opplysninger som er holdt tilbake');
    for (const withheld of content.withheld) doc.font('Helvetica').fontSize(10).text(printable(`${SECTION_TITLES[withheld.section] ?? withheld.section}: ${REASON_TEXT[withheld.legalGround] ?? withheld.legalGround}`));
  }
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font('Helvetica-Bold').fontSize(8).fillColor('#444').text(printable(CONFIDENTIALITY_LINE), doc.page.margins.left, doc.page.height - 52, { width, align: 'center', lineBreak: false });
    doc.font('Helvetica').fontSize(8).text(printable(`Utlevert av ${by.displayName}, ${formatDateTime(by.at)} · side ${index - range.start + 1} av ${range.count}`), doc.page.margins.left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
