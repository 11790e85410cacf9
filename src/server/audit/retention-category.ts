import { sql } from 'kysely';
import { accessHistory } from '../dpo/access-report/service';
import type { PersonDataCategory } from '../retention/category';

/**
 * DPO-5: the audit log is kept on its own legal ground (ten years; AUD-1, pasientjournalloven § 22):
 * it is the record of who saw the person's data, and erasing from it would break the hash chain
 * that proves it intact (AUD-4). Reported as one item: how many events concern the person's journal.
 */
export const auditLogCategory: PersonDataCategory = {
  name: 'audit.event',
  descriptionKey: 'dpoErasure.category.auditEvent',
  keeps: [],
  erasureMethod: 'erased',

  async findForPerson(trx, { organisationId, person }) {
    if (!person.patientId) return [];
    const { rows } = await sql<{ count: string }>`
      select count(*)::text as count from audit_event where organisation_id = ${organisationId} and patient_id = ${person.patientId}`.execute(trx);
    const count = Number(rows[0]?.count ?? 0);
    return count === 0 ? [] : [{ id: person.patientId, labelKey: 'dpoErasure.item.auditEvents', labelDate: null, count, action: 'keep', groundCode: 'audit.event' }];
  },

  eraseForPerson: () => Promise.reject(new Error('audit.event is kept by law: never erased by a request')),

  packageSection: 'accessLog',

  /**
   * DPO-5 (R-PJL-4): who saw the journal — every access and every list that showed the patient, as
   * the DPO's access report words it (dpo/access-report: the basis coded, free text left out),
   * over the whole log, for the patient the journal's access decision admitted.
   */
  async collectForPerson(trx, { organisationId, journalAccess, now }) {
    if (!journalAccess) return [];
    return (await accessHistory(trx, organisationId, journalAccess.patientId, now)).map((row) => ({ ...row }));
  },
};
