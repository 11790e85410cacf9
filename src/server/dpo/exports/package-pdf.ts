import PDFDocument from 'pdfkit';
import { formatCalendarDate, formatDateTime } from '../../../shared/oslo-time';
import { CONFIDENTIALITY_LINE } from '../../journal/print';
import type { ReleasedContent } from './service';

/**
 * The access package as a readable PDF (DPO-5): a heading per module, each item's fields as
 * "name: value" lines, the journal's notes with their text, and what was withheld on which legal
 * ground. Helvetica's WinAnsi covers Norwegian letters; anything else becomes '?'.
 */
const SECTION_TITLES: Record<string, string> = {
  patient: 'Personopplysninger i journalen',
  journal: 'Journalnotater',
  bookings: 'Bestillinger av hjemmebesøk',
  appointments: 'Timer og konsultasjoner',
  crmContacts: 'Kontaktperson i kunderegisteret',
  portalEmployees: 'Ansatt i bedriftsportalen',
  accounts: 'Brukerkonto',
  consents: 'Samtykker',
  accessLog: 'Hvem som har sett journalen',
};
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
      const fields = Object.entries(item).filter(([key, value]) => key !== 'id' && key !== 'versions' && key !== 'body' && value !== null && typeof value !== 'object');
      doc.font('Helvetica').fontSize(9).fillColor('#333').text(printable(fields.map(([key, value]) => `${key}: ${String(value)}`).join(' · ')));
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
