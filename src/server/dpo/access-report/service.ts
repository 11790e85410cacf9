import type { z } from 'zod';
import { type accessReportSchema, defaultAccessReportPeriod, type findPatientForReportSchema } from '../../../shared/dpo-report-schemas';
import { addDays, osloCalendarDate, osloInstant } from '../../../shared/oslo-time';
import { BREAK_GLASS_REASONS, searchedNationalIdentityNumber } from '../../../shared/patient-schemas';
import { AuditedDenial, auditedFieldDenial } from '../../audit/recorder';
import type { SessionUser } from '../../auth/session';
import type { ServiceDeps } from '../../context';
import type { Executor } from '../../db/database';
import { type AccessEventRow, accessEventsOfPatient } from './repository';
import { renderAccessReportPdf } from './pdf';

type Deps = Pick<ServiceDeps, 'trx' | 'audit' | 'now'>;
type In<T extends z.ZodType> = z.output<T>;

/** How many patients the DPO's look-up shows at most. */
const LOOKUP_LIMIT = 20;

export interface ReportPatient {
  id: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
}

/**
 * The basis of one row in plain words (DPO-3), as a code the screen and the PDF translate: the
 * access decision's basis where the event holds one; the DPO's own look-ups; a list or search.
 */
export const ACCESS_BASES = ['treatment_relationship', 'read_share', 'break_glass', 'dsr_case', 'own_data', 'dpo_supervision', 'list', 'unspecified'] as const;
export type AccessBasisCode = (typeof ACCESS_BASES)[number];

export interface AccessReportRow {
  id: string;
  occurredAt: string;
  userName: string;
  roles: string[];
  profession: string | null;
  organisationName: string;
  action: string;
  basis: AccessBasisCode;
  /** A break-glass reason code (coded, never the free text); null otherwise. */
  reasonCode: string | null;
  /** Saw the patient in a list or search result, rather than acting on their journal. */
  isList: boolean;
}

export interface AccessReport {
  patient: ReportPatient;
  organisationName: string;
  from: string;
  to: string;
  rows: AccessReportRow[];
  isTruncated: boolean;
  producedAt: string;
}

const KNOWN_BASES = new Set<string>(ACCESS_BASES);
const KNOWN_REASONS = new Set<string>(BREAK_GLASS_REASONS);

function basisOf(row: AccessEventRow): AccessBasisCode {
  if (row.basis !== null && KNOWN_BASES.has(row.basis)) return row.basis as AccessBasisCode;
  if (row.action.startsWith('dpo.')) return 'dpo_supervision';
  if (row.is_list) return 'list';
  return 'unspecified';
}

function toRow(row: AccessEventRow, organisationName: string): AccessReportRow {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    userName: row.user_display_name ?? '—',
    roles: row.user_roles,
    profession: row.profession,
    organisationName,
    action: row.action,
    basis: basisOf(row),
    reasonCode: row.reason !== null && KNOWN_REASONS.has(row.reason) ? row.reason : null,
    isList: row.is_list,
  };
}

async function patientOf(trx: Executor, user: SessionUser, patientId: string): Promise<ReportPatient> {
  const row = await trx
    .selectFrom('patient')
    .select(['id', 'given_name', 'family_name', 'date_of_birth'])
    .where('organisation_id', '=', user.organisationId)
    .where('id', '=', patientId)
    .executeTakeFirst();
  // Another organisation's patient is a made-up id; the attempt is logged (ACC-5).
  if (!row) throw new AuditedDenial({ reason: 'not_found', objectType: 'patient', objectId: patientId }, 'not_found');
  return { id: row.id, givenName: row.given_name, familyName: row.family_name, dateOfBirth: row.date_of_birth };
}

async function organisationName(trx: Executor, organisationId: string): Promise<string> {
  const row = await trx.selectFrom('organisation').select('name').where('id', '=', organisationId).executeTakeFirstOrThrow();
  return row.name;
}

/**
 * DPO-3: the DPO finds the patient by fødselsnummer (exact) or name. Not a journal access (no
 * access decision: the DPO sees names and dates of birth only); the look-up is logged with the
 * patients it showed, so it appears in their own access reports.
 */
export async function findPatient(deps: Deps, user: SessionUser, input: In<typeof findPatientForReportSchema>): Promise<ReportPatient[]> {
  const nationalId = searchedNationalIdentityNumber(input.query);
  const rows = await deps.trx
    .selectFrom('patient')
    .select(['id', 'given_name', 'family_name', 'date_of_birth'])
    .where('organisation_id', '=', user.organisationId)
    .where((eb) => {
      if (nationalId) return eb('national_id', '=', nationalId);
      const words = input.query.toLowerCase().split(/\s+/).filter(Boolean);
      return eb.and(
        words.map((word) => {
          const prefix = `${word.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
          return eb.or([eb(eb.fn('lower', ['family_name']), 'like', prefix), eb(eb.fn('lower', ['given_name']), 'like', prefix)]);
        }),
      );
    })
    .orderBy('family_name')
    .orderBy('given_name')
    .orderBy('id')
    .limit(LOOKUP_LIMIT)
    .execute();
  const patients = rows.map((row) => ({ id: row.id, givenName: row.given_name, familyName: row.family_name, dateOfBirth: row.date_of_birth }));
  deps.audit.record({ objectType: 'patient_search', details: { shownPatientIds: patients.map((patient) => patient.id), resultCount: patients.length, byNationalId: nationalId !== null } });
  return patients;
}

async function buildReport(deps: Deps, user: SessionUser, input: In<typeof accessReportSchema>): Promise<AccessReport> {
  const patient = await patientOf(deps.trx, user, input.patientId);
  const today = osloCalendarDate(deps.now);
  const fallback = defaultAccessReportPeriod(today);
  const from = input.from ?? fallback.from;
  const to = input.to ?? fallback.to;
  // A period the report cannot cover is refused beside its end, and the attempt is logged (ACC-5).
  const refused = (messageKey: string) => auditedFieldDenial({ reason: 'invalid_period', patientId: patient.id, objectType: 'access_report', details: { from, to } }, 'to', messageKey);
  if (to > today) throw refused('validation.date_in_future');
  if (from > to) throw refused('validation.period_reversed');
  const rows = await accessRows(deps.trx, user.organisationId, patient.id, new Date(osloInstant(from, '00:00')), new Date(osloInstant(addDays(to, 1), '00:00')));
  return { patient, from, to, ...rows, producedAt: deps.now.toISOString() };
}

/** The report's rows for [from, until): every access to the journal and every list that showed the patient, the basis in codes. */
async function accessRows(trx: Executor, organisationId: string, patientId: string, from: Date, until: Date): Promise<Pick<AccessReport, 'organisationName' | 'rows' | 'isTruncated'>> {
  const [name, events] = await Promise.all([organisationName(trx, organisationId), accessEventsOfPatient(trx, organisationId, patientId, from, until)]);
  return { organisationName: name, rows: events.rows.map((row) => toRow(row, name)), isTruncated: events.isTruncated };
}

/**
 * DPO-3, DPO-5: the same rows over the whole log up to `until` — the access package's "who saw the
 * journal" (the retention registry's audit-log category collects it). The caller logs the read.
 */
export async function accessHistory(trx: Executor, organisationId: string, patientId: string, until: Date): Promise<AccessReportRow[]> {
  return (await accessRows(trx, organisationId, patientId, new Date(0), until)).rows;
}

/**
 * DPO-3: every person who acted on the patient's journal or saw them in a list, in the period.
 * Producing it is itself an access to the patient's log and is logged (`dpo.access_report.read`);
 * the DPO's own earlier reports and look-ups are in it, as accesses like any other.
 */
export async function accessReport(deps: Deps, user: SessionUser, input: In<typeof accessReportSchema>): Promise<AccessReport> {
  const report = await buildReport(deps, user, input);
  deps.audit.record({ patientId: report.patient.id, objectType: 'access_report', basis: 'dpo_supervision', details: { from: report.from, to: report.to, rowCount: report.rows.length } });
  return report;
}

/** DPO-3: the same report as a PDF to hand to the patient; an export, logged with the client's address. */
export async function exportAccessReportPdf(deps: Deps, user: SessionUser, input: In<typeof accessReportSchema>): Promise<{ pdfBase64: string; fileName: string; rowCount: number }> {
  const report = await buildReport(deps, user, input);
  const pdf = await renderAccessReportPdf(report, { displayName: user.displayName, producedAt: deps.now });
  deps.audit.record({ patientId: report.patient.id, objectType: 'access_report', basis: 'dpo_supervision', details: { from: report.from, to: report.to, rowCount: report.rows.length, format: 'pdf' } });
  return { pdfBase64: pdf.toString('base64'), fileName: `innsyn-i-logg-${report.from}-${report.to}.pdf`, rowCount: report.rows.length };
}
