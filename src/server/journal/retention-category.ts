import { sql } from 'kysely';
import type { PackageItem, PersonDataCategory, PersonItem } from '../retention/category';
import { groupNotes, journalVersions } from './note-versions';

/**
 * DPO-5: the journal is never erased by a data-subject request. Its content is kept under
 * helsepersonelloven §§ 39–44 (the duty to document outweighs GDPR art. 17, R-INN-4); a single
 * note can go only by a deletion decision under §§ 43–44 (`journal/deletion.ts`), which the case
 * leads to. The consents to share the journal are the documented ground of who could read it and
 * are kept with it. Both categories only report what is there and why it stays.
 */

const neverErased = (category: string) => () => Promise.reject(new Error(`${category} is kept by law: never erased by a request`));

export const journalCategory: PersonDataCategory = {
  name: 'journal.content',
  descriptionKey: 'dpoErasure.category.journalContent',
  keeps: ['dpoErasure.keeps.journalDeletion'],
  erasureMethod: 'erased',

  async findForPerson(trx, { organisationId, person }) {
    const patients = await patientIdsOf(trx, organisationId, person);
    if (patients.length === 0) return [];
    const { rows } = await sql<{ id: string; kind: 'patient' | 'note'; at: string }>`
      select id, 'patient' as kind, to_char(created_at at time zone 'Europe/Oslo', 'YYYY-MM-DD') as at from patient where organisation_id = ${organisationId} and id = any(${patients}::uuid[])
      union all
      select id, 'note' as kind, consultation_date::text as at from journal_note where organisation_id = ${organisationId} and patient_id = any(${patients}::uuid[])
      order by kind desc, at, id`.execute(trx);
    return rows.map(
      (row): PersonItem => ({
        id: row.id,
        labelKey: row.kind === 'patient' ? 'dpoErasure.item.patient' : 'dpoErasure.item.journalNote',
        labelDate: row.at,
        count: 1,
        action: 'keep',
        groundCode: 'journal.content',
      }),
    );
  },

  eraseForPerson: neverErased('journal.content'),

  packageSection: 'journal',

  /** DPO-5: the notes with every signed version, only through the access decision (its blocked notes left out). */
  async collectForPerson(trx, { organisationId, journalAccess }) {
    if (!journalAccess) return [];
    const notes = groupNotes(await journalVersions(trx, organisationId, journalAccess.patientId, journalAccess.hiddenNoteIds));
    return notes.map((note): PackageItem => ({ ...note, versions: note.versions.map((version) => ({ ...version })) }));
  },
};

export const journalConsentCategory: PersonDataCategory = {
  name: 'journal.consent',
  descriptionKey: 'dpoErasure.category.journalConsent',
  keeps: [],
  erasureMethod: 'erased',

  async findForPerson(trx, { organisationId, person }) {
    const patients = await patientIdsOf(trx, organisationId, person);
    if (patients.length === 0) return [];
    const { rows } = await sql<{ id: string; givenAt: Date }>`
      select id, given_at as "givenAt" from patient_consent
       where organisation_id = ${organisationId} and patient_id = any(${patients}::uuid[]) order by given_at, id`.execute(trx);
    return rows.map((row): PersonItem => ({ id: row.id, labelKey: 'dpoErasure.item.consent', labelDate: row.givenAt.toISOString(), count: 1, action: 'keep', groundCode: 'journal.consent' }));
  },

  eraseForPerson: neverErased('journal.consent'),

  packageSection: 'consents',

  /** DPO-5: the consents to share the journal (who gave them, how, the scope and purpose, when withdrawn), with the journal's access decision. */
  async collectForPerson(trx, { organisationId, journalAccess }) {
    if (!journalAccess) return [];
    const { rows } = await sql<{ id: string; givenBy: string; method: string; givenAt: Date; scope: string; purpose: string; withdrawnAt: Date | null }>`
      select id, given_by as "givenBy", method, given_at as "givenAt", scope, purpose, withdrawn_at as "withdrawnAt" from patient_consent
       where organisation_id = ${organisationId} and patient_id = ${journalAccess.patientId} order by given_at, id`.execute(trx);
    return rows.map((row) => ({ ...row, givenAt: row.givenAt.toISOString(), withdrawnAt: row.withdrawnAt?.toISOString() ?? null }));
  },
};

/** The person's journal: the case's patient, or the patient with the case's national identity number. */
export async function patientIdsOf(trx: Parameters<PersonDataCategory['findForPerson']>[0], organisationId: string, person: { patientId?: string | null; nationalId?: string | null }): Promise<string[]> {
  const ids = new Set<string>();
  if (person.patientId) ids.add(person.patientId);
  if (person.nationalId) {
    const row = await trx.selectFrom('patient').select('id').where('organisation_id', '=', organisationId).where('national_id', '=', person.nationalId).executeTakeFirst();
    if (row) ids.add(row.id);
  }
  return [...ids];
}
