import { stringify } from 'csv-stringify/sync';
import PDFDocument from 'pdfkit';
import type { z } from 'zod';
import { API_ERROR_MESSAGES } from '../../../shared/api-errors';
import {
  type createActivitySchema,
  type createProcessorSchema,
  type exportRegisterSchema,
  isInsideEea,
  type removeActivitySchema,
  type removeProcessorSchema,
  type updateActivitySchema,
  type updateProcessorSchema,
} from '../../../shared/dpo-report-schemas';
import { formatCalendarDate, formatDateTime, osloCalendarDate } from '../../../shared/oslo-time';
import { AuditedDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import { DomainError, fieldError } from '../../errors';
import { neutraliseExportedCell } from '../../import/formula';
import { LEGAL_BASIS_LABELS, TRANSFER_BASIS_LABELS } from './labels';
import {
  activitiesOf,
  activityById,
  countProcessors,
  isProcessorInUse,
  processorById,
  processorLinksOf,
  processorsOf,
  setActivityProcessors,
} from './repository';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type In<T extends z.ZodType> = z.output<T>;

export interface ProcessingActivityView {
  id: string;
  name: string;
  purpose: string;
  legalBases: string[];
  legalBasisLaw: string | null;
  dataCategories: string;
  dataSubjects: string;
  retention: string;
  recipients: string | null;
  securityMeasures: string | null;
  processorIds: string[];
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

export interface DataProcessorView {
  id: string;
  name: string;
  service: string;
  country: string;
  isOutsideEea: boolean;
  transferBasis: string | null;
  agreementDate: string | null;
  contact: string | null;
  version: number;
  updatedAt: string;
  updatedByName: string | null;
}

export interface Registers {
  activities: ProcessingActivityView[];
  processors: DataProcessorView[];
}

const recordChanged = (): DomainError => new DomainError('conflict', API_ERROR_MESSAGES.recordChanged);
/** Another organisation's id, or one that never existed: the same answer, and the probe is logged. */
const notFoundDenial = (objectType: string, objectId: string) => new AuditedDenial({ reason: 'not_found', objectType, objectId }, 'not_found');

async function readRegisters(deps: Deps, user: SessionUser): Promise<Registers> {
  const [activities, processors, links] = await Promise.all([activitiesOf(deps.trx, user.organisationId), processorsOf(deps.trx, user.organisationId), processorLinksOf(deps.trx, user.organisationId)]);
  const processorsOfActivity = new Map<string, string[]>();
  for (const link of links) processorsOfActivity.set(link.activity_id, [...(processorsOfActivity.get(link.activity_id) ?? []), link.processor_id]);
  return {
    activities: activities.map((row) => ({
      id: row.id,
      name: row.name,
      purpose: row.purpose,
      legalBases: row.legal_bases,
      legalBasisLaw: row.legal_basis_law,
      dataCategories: row.data_categories,
      dataSubjects: row.data_subjects,
      retention: row.retention,
      recipients: row.recipients,
      securityMeasures: row.security_measures,
      processorIds: processorsOfActivity.get(row.id) ?? [],
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
      updatedByName: row.updated_by_name,
    })),
    processors: processors.map((row) => ({
      id: row.id,
      name: row.name,
      service: row.service,
      country: row.country,
      isOutsideEea: !isInsideEea(row.country),
      transferBasis: row.transfer_basis,
      agreementDate: row.agreement_date,
      contact: row.contact,
      version: row.version,
      updatedAt: row.updated_at.toISOString(),
      updatedByName: row.updated_by_name,
    })),
  };
}

/** DPO-7: both registers (the DPO's; the admin may read). */
export async function registers(deps: Deps, user: SessionUser): Promise<Registers> {
  const result = await readRegisters(deps, user);
  deps.audit.record({ objectType: 'register', details: { activityCount: result.activities.length, processorCount: result.processors.length } });
  return result;
}

function activityValues(input: In<typeof createActivitySchema>) {
  return {
    name: input.name,
    purpose: input.purpose,
    legal_bases: input.legalBases,
    legal_basis_law: input.legalBasisLaw,
    data_categories: input.dataCategories,
    data_subjects: input.dataSubjects,
    retention: input.retention,
    recipients: input.recipients,
    security_measures: input.securityMeasures,
  };
}

async function requireProcessors(deps: Deps, user: SessionUser, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  // Another organisation's processor is unknown here, like a made-up id.
  if ((await countProcessors(deps.trx, user.organisationId, unique)) !== unique.length) throw fieldError('processorIds', 'validation.id');
  return unique;
}

export async function createActivity(deps: Deps, user: SessionUser, input: In<typeof createActivitySchema>): Promise<{ id: string; version: number }> {
  const processorIds = await requireProcessors(deps, user, input.processorIds);
  const row = await deps.trx
    .insertInto('processing_activity')
    .values({ organisation_id: user.organisationId, ...activityValues(input), created_at: deps.now, updated_at: deps.now, updated_by: user.userId })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await setActivityProcessors(deps.trx, user.organisationId, row.id, processorIds);
  deps.audit.record({ objectType: 'processing_activity', objectId: row.id, details: { register: 'activities', version: row.version, isNew: true, processorCount: processorIds.length } });
  return row;
}

export async function updateActivity(deps: Deps, user: SessionUser, input: In<typeof updateActivitySchema>): Promise<{ id: string; version: number }> {
  const current = await activityById(deps.trx, user.organisationId, input.activityId);
  if (!current) throw notFoundDenial('processing_activity', input.activityId);
  if (current.version !== input.version) throw recordChanged();
  const processorIds = await requireProcessors(deps, user, input.processorIds);
  const row = await deps.trx
    .updateTable('processing_activity')
    .set({ ...activityValues(input), version: current.version + 1, updated_at: deps.now, updated_by: user.userId })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', current.id)
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  await setActivityProcessors(deps.trx, user.organisationId, row.id, processorIds);
  deps.audit.record({ objectType: 'processing_activity', objectId: row.id, details: { register: 'activities', version: row.version, isNew: false, processorCount: processorIds.length } });
  return row;
}

export async function removeActivity(deps: Deps, user: SessionUser, input: In<typeof removeActivitySchema>): Promise<void> {
  const current = await activityById(deps.trx, user.organisationId, input.activityId);
  if (!current) throw notFoundDenial('processing_activity', input.activityId);
  if (current.version !== input.version) throw recordChanged();
  await deps.trx.deleteFrom('processing_activity').where('organisation_id', '=', user.organisationId).where('id', '=', current.id).execute();
  deps.audit.record({ objectType: 'processing_activity', objectId: current.id, details: { register: 'activities', version: current.version } });
}

function processorValues(input: In<typeof createProcessorSchema>) {
  return {
    name: input.name,
    service: input.service,
    country: input.country,
    // Inside the EEA no transfer basis is needed: none is kept.
    transfer_basis: isInsideEea(input.country) ? null : input.transferBasis,
    agreement_date: input.agreementDate,
    contact: input.contact,
  };
}

export async function createProcessor(deps: Deps, user: SessionUser, input: In<typeof createProcessorSchema>): Promise<{ id: string; version: number }> {
  const row = await deps.trx
    .insertInto('data_processor')
    .values({ organisation_id: user.organisationId, ...processorValues(input), created_at: deps.now, updated_at: deps.now, updated_by: user.userId })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'data_processor', objectId: row.id, details: { register: 'processors', version: row.version, isNew: true } });
  return row;
}

export async function updateProcessor(deps: Deps, user: SessionUser, input: In<typeof updateProcessorSchema>): Promise<{ id: string; version: number }> {
  const current = await processorById(deps.trx, user.organisationId, input.processorId);
  if (!current) throw notFoundDenial('data_processor', input.processorId);
  if (current.version !== input.version) throw recordChanged();
  const row = await deps.trx
    .updateTable('data_processor')
    .set({ ...processorValues(input), version: current.version + 1, updated_at: deps.now, updated_by: user.userId })
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', current.id)
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow();
  deps.audit.record({ objectType: 'data_processor', objectId: row.id, details: { register: 'processors', version: row.version, isNew: false } });
  return row;
}

export async function removeProcessor(deps: Deps, user: SessionUser, input: In<typeof removeProcessorSchema>): Promise<void> {
  const current = await processorById(deps.trx, user.organisationId, input.processorId);
  if (!current) throw notFoundDenial('data_processor', input.processorId);
  if (current.version !== input.version) throw recordChanged();
  if (await isProcessorInUse(deps.trx, user.organisationId, current.id)) throw fieldError('processorId', 'validation.processor_in_use');
  await deps.trx.deleteFrom('data_processor').where('organisation_id', '=', user.organisationId).where('id', '=', current.id).execute();
  deps.audit.record({ objectType: 'data_processor', objectId: current.id, details: { register: 'processors', version: current.version } });
}

// ---------------------------------------------------------------------------------------------
// Exports (CSV and PDF), behind step-up, logged with the client's address
// ---------------------------------------------------------------------------------------------

const legalBasesText = (codes: readonly string[]) => codes.map((code) => LEGAL_BASIS_LABELS[code] ?? code).join('; ');
const transferText = (processor: DataProcessorView) => (processor.isOutsideEea ? (processor.transferBasis ? (TRANSFER_BASIS_LABELS[processor.transferBasis] ?? processor.transferBasis) : 'Mangler') : 'Innenfor EØS');

/** Each register as labelled columns: the CSV's header and cells, and the PDF's fields. */
function registerTable(data: Registers, register: 'activities' | 'processors'): { title: string; header: string[]; rows: string[][] } {
  const processorNames = new Map(data.processors.map((processor) => [processor.id, processor.name]));
  if (register === 'activities') {
    return {
      title: 'Protokoll over behandlingsaktiviteter',
      header: ['Behandling', 'Formål', 'Behandlingsgrunnlag', 'Lovhjemmel', 'Kategorier av opplysninger', 'Kategorier av registrerte', 'Lagringstid', 'Databehandlere', 'Mottakere', 'Sikkerhetstiltak', 'Sist endret', 'Versjon'],
      rows: data.activities.map((activity) => [
        activity.name,
        activity.purpose,
        legalBasesText(activity.legalBases),
        activity.legalBasisLaw ?? '',
        activity.dataCategories,
        activity.dataSubjects,
        activity.retention,
        activity.processorIds.map((id) => processorNames.get(id) ?? id).join('; '),
        activity.recipients ?? '',
        activity.securityMeasures ?? '',
        formatDateTime(activity.updatedAt),
        String(activity.version),
      ]),
    };
  }
  return {
    title: 'Oversikt over databehandlere',
    header: ['Databehandler', 'Tjeneste', 'Land', 'Overføringsgrunnlag', 'Databehandleravtale', 'Kontakt', 'Sist endret', 'Versjon'],
    rows: data.processors.map((processor) => [
      processor.name,
      processor.service,
      processor.country,
      transferText(processor),
      processor.agreementDate ? formatCalendarDate(processor.agreementDate) : 'Ikke registrert',
      processor.contact ?? '',
      formatDateTime(processor.updatedAt),
      String(processor.version),
    ]),
  };
}

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
function printable(text: string): string {
  return [...text].map((character) => (character === '\n' || (character >= ' ' && character <= 'ÿ') || WIN_ANSI_EXTRA.has(character) ? character : '?')).join('');
}

/** A readable PDF: one section per entry, each field labelled (long texts do not fit a table). */
function renderRegisterPdf(table: { title: string; header: string[]; rows: string[][] }, meta: { organisationName: string; producedBy: string; producedAt: Date }): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 60, left: 50, right: 50 }, bufferPages: true, info: { Title: table.title, Producer: 'Journalkontor' } });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.font('Helvetica-Bold').fontSize(16).text(printable(table.title));
  doc.font('Helvetica').fontSize(10).text(printable(`${meta.organisationName} · laget ${formatDateTime(meta.producedAt)} av ${meta.producedBy}`));
  doc.moveDown();
  for (const row of table.rows) {
    doc.font('Helvetica-Bold').fontSize(12).text(printable(row[0] ?? ''));
    for (const [index, label] of table.header.entries()) {
      if (index === 0) continue;
      doc.font('Helvetica-Bold').fontSize(9).text(printable(`${label}: `), { continued: true }).font('Helvetica').text(printable(row[index] || '—'));
    }
    doc.moveDown();
  }
  if (table.rows.length === 0) doc.font('Helvetica-Oblique').text('Registeret er tomt.');
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    doc.font('Helvetica').fontSize(8).fillColor('#444').text(printable(`${table.title} · ${meta.organisationName} · side ${index - range.start + 1} av ${range.count}`), doc.page.margins.left, doc.page.height - 40, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
  doc.end();
  return done;
}

export interface RegisterExport {
  fileName: string;
  /** CSV as text (with a byte-order mark for Excel), or null for a PDF. */
  csv: string | null;
  /** The PDF as base64, or null for a CSV. */
  pdfBase64: string | null;
}

/** DPO-7: a register as CSV (every cell formula-neutralised, as the CRM's export) or PDF. */
export async function exportRegister(deps: Deps, user: SessionUser, input: In<typeof exportRegisterSchema>): Promise<RegisterExport> {
  const data = await readRegisters(deps, user);
  const table = registerTable(data, input.register);
  const stem = `${input.register === 'activities' ? 'behandlingsprotokoll' : 'databehandlere'}-${osloCalendarDate(deps.now)}`;
  deps.audit.record({ objectType: 'register', objectId: input.register, details: { register: input.register, format: input.format, rowCount: table.rows.length } });
  if (input.format === 'csv') {
    const cells = table.rows.map((row) => row.map(neutraliseExportedCell));
    return { fileName: `${stem}.csv`, csv: `\uFEFF${stringify([table.header, ...cells], { delimiter: ';', record_delimiter: '\r\n' })}`, pdfBase64: null };
  }
  const organisation = await deps.trx.selectFrom('organisation').select('name').where('id', '=', user.organisationId).executeTakeFirstOrThrow();
  const pdf = await renderRegisterPdf(table, { organisationName: organisation.name, producedBy: user.displayName, producedAt: deps.now });
  return { fileName: `${stem}.pdf`, csv: null, pdfBase64: pdf.toString('base64') };
}
