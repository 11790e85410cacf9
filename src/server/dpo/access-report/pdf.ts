import PDFDocument from 'pdfkit';
import { formatCalendarDate, formatDateTime } from '../../../shared/oslo-time';
import { ACTION_LABELS, BASIS_LABELS, BREAK_GLASS_REASON_LABELS, PROFESSION_LABELS, ROLE_LABELS } from './labels';
import type { AccessReport, AccessReportRow } from './service';

// WinAnsi (cp1252) covers Latin-1 plus a few typographic characters; anything else becomes '?' (as the journal print).
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function printable(text: string): string {
  return [...text].map((character) => ((character >= ' ' && character <= 'ÿ') || WIN_ANSI_EXTRA.has(character) ? character : '?')).join('');
}

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export function basisLabel(row: Pick<AccessReportRow, 'basis' | 'reasonCode'>): string {
  const basis = BASIS_LABELS[row.basis] ?? row.basis;
  return row.reasonCode ? `${basis}: ${BREAK_GLASS_REASON_LABELS[row.reasonCode] ?? row.reasonCode}` : basis;
}

function whoLabel(row: AccessReportRow): string {
  const roles = row.roles.map((role) => ROLE_LABELS[role] ?? role).join(', ');
  const profession = row.profession ? (PROFESSION_LABELS[row.profession] ?? row.profession) : null;
  return [roles, profession].filter(Boolean).join(' · ') || '—';
}

const COLUMNS = [
  { title: 'Tidspunkt', width: 78 },
  { title: 'Hvem', width: 118 },
  { title: 'Rolle og yrke', width: 120 },
  { title: 'Virksomhet', width: 104 },
  { title: 'Hva', width: 150 },
  { title: 'Grunnlag', width: 150 },
  { title: 'I liste', width: 42 },
] as const;

/**
 * DPO-3: the access report as a document to hand to the patient: organisation, patient, period,
 * who produced it and when, and one line per access. Landscape A4; the header row is repeated on
 * every page, and every page says what it is and which page it is.
 */
export function renderAccessReportPdf(report: AccessReport, producedBy: { displayName: string; producedAt: Date }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margins: { top: 40, bottom: 56, left: 40, right: 40 }, bufferPages: true, info: { Title: 'Innsyn i logg', Producer: 'Journalkontor' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const { patient } = report;

  doc.font('Helvetica-Bold').fontSize(16).text(printable(`Innsyn i logg: ${patient.familyName}, ${patient.givenName}`));
  doc
    .font('Helvetica')
    .fontSize(10)
    .text(printable(`Født ${formatCalendarDate(patient.dateOfBirth)} · ${report.organisationName}`))
    .text(printable(`Periode: ${formatCalendarDate(report.from)}–${formatCalendarDate(report.to)}`))
    .text(printable(`Laget ${formatDateTime(producedBy.producedAt)} av ${producedBy.displayName}, personvernombud`));
  doc
    .moveDown(0.5)
    .fontSize(9)
    .fillColor('#333')
    .text(
      printable(
        'Oversikten viser alle som har åpnet, lest, skrevet i eller skrevet ut journalen din i perioden, og alle som har sett navnet ditt i et søk eller en liste (merket «Ja» under «I liste»). Grunnlaget står med vanlige ord; fritekst er utelatt.',
      ),
      { width: doc.page.width - left - doc.page.margins.right },
    )
    .fillColor('black');
  if (report.isTruncated) doc.moveDown(0.3).font('Helvetica-Oblique').text('Oversikten er forkortet: velg en kortere periode for å se alt.').font('Helvetica');
  doc.moveDown();

  const drawRow = (cells: readonly string[], isHeader: boolean) => {
    doc.font(isHeader ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    const height = Math.max(...cells.map((cell, index) => doc.heightOfString(cell, { width: (COLUMNS[index]?.width ?? 60) - 4 }))) + 4;
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (!isHeader) drawRow(COLUMNS.map((column) => column.title), true);
      doc.font(isHeader ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    }
    const top = doc.y;
    let x = left;
    for (const [index, cell] of cells.entries()) {
      const width = COLUMNS[index]?.width ?? 60;
      doc.text(cell, x + 2, top + 2, { width: width - 4 });
      x += width;
    }
    doc
      .moveTo(left, top + height)
      .lineTo(x, top + height)
      .lineWidth(isHeader ? 0.8 : 0.3)
      .strokeColor('#888')
      .stroke();
    doc.x = left;
    doc.y = top + height;
  };

  drawRow(COLUMNS.map((column) => column.title), true);
  for (const row of report.rows) {
    drawRow(
      [formatDateTime(row.occurredAt), row.userName, whoLabel(row), row.organisationName, actionLabel(row.action), basisLabel(row), row.isList ? 'Ja' : ''].map(printable),
      false,
    );
  }
  if (report.rows.length === 0) doc.moveDown().font('Helvetica-Oblique').fontSize(10).text('Ingen har åpnet journalen eller sett deg i en liste i perioden.', left);

  const footer = printable(`Innsyn i logg for ${patient.givenName} ${patient.familyName} · laget ${formatDateTime(producedBy.producedAt)}`);
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - left - doc.page.margins.right;
    doc.font('Helvetica').fontSize(8).fillColor('#444').text(`${footer} · side ${index - range.start + 1} av ${range.count}`, left, doc.page.height - 36, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}
