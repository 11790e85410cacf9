import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { type AccessDecision, decideJournalAccess, decideJournalAccessForMany } from '../../../src/server/access/decide';
import type { Database } from '../../../src/server/db/database';
import { insertPatient } from '../dpo/log/dpo-log-support';
import { createOrganisation, createUser } from '../support/identity';
import { useTestDatabase } from '../support/test-database';

const NOW = new Date('2026-11-20T10:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY);

/**
 * The table of cases of the one access decision (ACC-2…4, SHR-1…3, DPO-5), run against its one
 * definition, the database function `journal_access_decisions` (ADR 0017): each row is a patient set
 * up for one case, and the decision for all of them is asked at once (the many-patient path), then
 * one by one (the journal's path). No copy of the rules exists here: only the expected answers.
 */
type Setup = (context: { db: Database; organisationId: string; patientId: string; userId: string; dpoId: string; otherId: string; noteId: string }) => Promise<void>;

interface Case {
  name: string;
  setup: Setup;
  /** The clinician's expected answer ('basis' or 'denied:reason'); the DPO's when it differs from no_basis. */
  expected: string;
  dpo?: string;
}

const relationship = (ends: Date | null, starts = at(-30)): Setup => async ({ db, organisationId, patientId, userId }) => {
  await db.insertInto('care_relationship').values({ organisation_id: organisationId, patient_id: patientId, user_id: userId, kind: 'care_team', starts_at: starts, ends_at: ends, created_by: null }).execute();
};
const appointment = (startsAt: Date, status: 'booked' | 'completed' | 'cancelled'): Setup => async ({ db, organisationId, patientId, userId }) => {
  await db.insertInto('appointment').values({ organisation_id: organisationId, patient_id: patientId, clinician_id: userId, kind: 'consultation', starts_at: startsAt, status }).execute();
};
const share = (options: { scope: 'whole_journal' | 'selected_notes'; withdrawn?: boolean; revoked?: boolean; endsAt?: Date }): Setup => async ({ db, organisationId, patientId, userId, otherId, noteId }) => {
  const consent = await db
    .insertInto('patient_consent')
    .values({ organisation_id: organisationId, patient_id: patientId, given_by: 'patient', method: 'verbal', given_at: at(-5), recorded_by: otherId, scope: options.scope, purpose: 'Samarbeid', withdrawn_at: options.withdrawn ? at(-1) : null, withdrawn_by: options.withdrawn ? otherId : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('read_share')
    .values({ organisation_id: organisationId, patient_id: patientId, grantee_id: userId, granted_by: otherId, consent_id: consent.id, scope: options.scope, note_ids: options.scope === 'selected_notes' ? [noteId] : [], purpose: 'Samarbeid', starts_at: at(-5), ends_at: options.endsAt ?? at(10), revoked_at: options.revoked ? at(-1) : null, revoked_by: options.revoked ? otherId : null })
    .execute();
};
const breakGlass = (expiresAt: Date): Setup => async ({ db, organisationId, patientId, userId }) => {
  await db.insertInto('break_glass_access').values({ organisation_id: organisationId, patient_id: patientId, user_id: userId, reason_code: 'emergency', reason_text: null, started_at: new Date(expiresAt.getTime() - 4 * 60 * 60 * 1000), expires_at: expiresAt, ended_at: null }).execute();
};
const block = (scope: 'whole_journal' | 'selected_notes', lifted = false): Setup => async ({ db, organisationId, patientId, userId, otherId, noteId }) => {
  await db
    .insertInto('patient_block')
    .values({ organisation_id: organisationId, patient_id: patientId, blocked_user_id: userId, scope, note_ids: scope === 'selected_notes' ? [noteId] : [], requested_at: at(-2), recorded_by: otherId, lifted_at: lifted ? at(-1) : null, lifted_by: lifted ? otherId : null })
    .execute();
};
let caseNumber = 0;
const dsrCase = (status: 'in_progress' | 'completed', kind: 'access' | 'erasure' = 'access'): Setup => async ({ db, organisationId, patientId, dpoId }) => {
  await db
    .insertInto('dsr_case')
    .values({ organisation_id: organisationId, reference: `DSR-2026-${String(++caseNumber).padStart(4, '0')}`, kind, received_on: '2026-11-10', channel: 'letter', requester_name: 'Prøve Pasient', patient_id: patientId, status, deadline: '2026-12-10', created_by: dpoId, created_at: NOW, updated_at: NOW, ...(status === 'completed' ? { response: 'Svar sendt.', completed_at: NOW } : {}) })
    .execute();
};
const both = (...setups: Setup[]): Setup => async (context) => {
  for (const setup of setups) await setup(context);
};

const CASES: Case[] = [
  { name: 'a current care-team relationship', setup: relationship(null), expected: 'treatment_relationship' },
  { name: 'a relationship that has ended', setup: relationship(at(-1)), expected: 'denied:no_basis' },
  { name: 'a relationship not yet begun', setup: relationship(null, at(1)), expected: 'denied:no_basis' },
  { name: 'a consultation in 3 days', setup: appointment(at(3), 'booked'), expected: 'treatment_relationship' },
  { name: 'a consultation 89 days ago', setup: appointment(at(-89), 'completed'), expected: 'treatment_relationship' },
  { name: 'a consultation 91 days ago', setup: appointment(at(-91), 'completed'), expected: 'denied:no_basis' },
  { name: 'a consultation in 15 days', setup: appointment(at(15), 'booked'), expected: 'denied:no_basis' },
  { name: 'a cancelled consultation', setup: appointment(at(1), 'cancelled'), expected: 'denied:no_basis' },
  { name: 'a whole-journal read-share', setup: share({ scope: 'whole_journal' }), expected: 'read_share' },
  { name: 'a read-share of chosen notes', setup: share({ scope: 'selected_notes' }), expected: 'read_share:only' },
  { name: 'a read-share whose consent is withdrawn', setup: share({ scope: 'whole_journal', withdrawn: true }), expected: 'denied:no_basis' },
  { name: 'a revoked read-share', setup: share({ scope: 'whole_journal', revoked: true }), expected: 'denied:no_basis' },
  { name: 'a read-share past its end', setup: share({ scope: 'whole_journal', endsAt: at(-1) }), expected: 'denied:no_basis' },
  { name: 'break-glass within its 4 hours', setup: breakGlass(at(0.1)), expected: 'break_glass' },
  { name: 'break-glass expired', setup: breakGlass(at(-0.01)), expected: 'denied:no_basis' },
  { name: 'a relationship beats a read-share', setup: both(relationship(null), share({ scope: 'selected_notes' })), expected: 'treatment_relationship' },
  { name: 'a whole-journal block against a relationship', setup: both(relationship(null), block('whole_journal')), expected: 'denied:blocked', dpo: 'denied:no_basis' },
  { name: 'a whole-journal block against break-glass', setup: both(breakGlass(at(0.1)), block('whole_journal')), expected: 'denied:blocked' },
  { name: 'a lifted block holds no more', setup: both(relationship(null), block('whole_journal', true)), expected: 'treatment_relationship' },
  { name: 'a block of chosen notes hides them behind a relationship', setup: both(relationship(null), block('selected_notes')), expected: 'treatment_relationship:blocked' },
  { name: 'a block of chosen notes hides them behind a share', setup: both(share({ scope: 'whole_journal' }), block('selected_notes')), expected: 'read_share:blocked' },
  { name: 'no basis at all', setup: async () => {}, expected: 'denied:no_basis' },
  { name: "an open access request (the DPO's basis only)", setup: dsrCase('in_progress'), expected: 'denied:no_basis', dpo: 'dsr_case' },
  { name: 'a completed access request', setup: dsrCase('completed'), expected: 'denied:no_basis', dpo: 'denied:no_basis' },
  { name: 'an open erasure request gives no read', setup: dsrCase('in_progress', 'erasure'), expected: 'denied:no_basis', dpo: 'denied:no_basis' },
];

/** A decision as one word of the table. */
function answerOf(decision: AccessDecision | undefined, noteId: string): string {
  if (!decision) return 'missing';
  if (!decision.isAllowed) return `denied:${decision.reason}`;
  if (decision.onlyNoteIds !== null) return decision.onlyNoteIds.length === 1 && decision.onlyNoteIds[0] === noteId ? `${decision.basis}:only` : `${decision.basis}:only?`;
  if (decision.blockedNoteIds.length > 0) return decision.blockedNoteIds.length === 1 && decision.blockedNoteIds[0] === noteId ? `${decision.basis}:blocked` : `${decision.basis}:blocked?`;
  return decision.basis;
}

describe('ACC-2…4, SHR-1…3, DPO-5: the table of cases of the access decision, against its one definition (the database function)', () => {
  const database = useTestDatabase();

  it('ACC-2: every case answers as the table says, for many patients at once and for each alone', async () => {
    const { db } = database.current;
    const organisation = await createOrganisation(db);
    const clinician = await createUser(db, organisation.id, { roles: ['clinician'] });
    const other = await createUser(db, organisation.id, { roles: ['clinician'] });
    const dpo = await createUser(db, organisation.id, { roles: ['dpo'] });
    const elsewhere = await createOrganisation(db);
    const foreignPatient = await insertPatient(db, elsewhere.id, 'Annen', 'Klinikk', 200);

    const patientIds: string[] = [];
    const noteIds: string[] = [];
    for (const [index, entry] of CASES.entries()) {
      const patientId = await insertPatient(db, organisation.id, 'Tabell', `Pasient ${index}`, index * 8 + 1);
      // One signed note for the cases that name chosen notes (shares, partial blocks).
      const note = await sql<{ id: string }>`select gen_random_uuid() as id`.execute(db);
      const noteId = note.rows[0]!.id;
      patientIds.push(patientId);
      noteIds.push(noteId);
      await entry.setup({ db, organisationId: organisation.id, patientId, userId: clinician.id, dpoId: dpo.id, otherId: other.id, noteId });
    }
    const madeUp = randomUUID();
    const asked = [...patientIds, foreignPatient, madeUp];

    const expectedFor = (who: 'clinician' | 'dpo') => [
      ...CASES.map((entry) => `${entry.name}: ${who === 'clinician' ? entry.expected : (entry.dpo ?? 'denied:no_basis')}`),
      "another organisation's patient: denied:patient_not_found",
      'a made-up id: denied:patient_not_found',
    ];
    const names = [...CASES.map((entry) => entry.name), "another organisation's patient", 'a made-up id'];
    const noteOf = (index: number) => noteIds[index] ?? '';

    for (const [who, userId] of [['clinician', clinician.id], ['dpo', dpo.id]] as const) {
      const many = await decideJournalAccessForMany(db, { organisationId: organisation.id, userId }, asked, NOW);
      expect(asked.map((id, index) => `${names[index]}: ${answerOf(many.get(id), noteOf(index))}`)).toEqual(expectedFor(who));
      const alone: string[] = [];
      for (const [index, id] of asked.entries()) alone.push(`${names[index]}: ${answerOf(await decideJournalAccess(db, { organisationId: organisation.id, userId }, id, NOW), noteOf(index))}`);
      expect(alone).toEqual(expectedFor(who));
    }
  });
});
