import { type AuditActor, type AuditEventInput, writeAuditEvent } from '../audit/record';
import type { Executor } from '../db/database';
import { signatureAnchor, signedContentHash } from '../journal/content-hash';
import { mod11CheckDigit, parseNationalIdentityNumber } from '../../shared/national-identity-number';

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/**
 * A synthetic national identity number (month + 80, as in Skatteetaten's Tenor test data) for a
 * demo patient: valid check digits and the patient's legal gender, but never a real person's number.
 * Accepted only in demo mode.
 */
export function syntheticNationalId(birthDate: string, seed: number, gender: 'female' | 'male'): string {
  const [year, month, day] = birthDate.split('-');
  const datePart = `${day}${String(Number(month) + 80).padStart(2, '0')}${year!.slice(2)}`;
  // The individual number carries the century: 000–499 for 1900–1999, 500–999 for 2000–2039.
  const centuryBase = Number(year) >= 2000 ? 500 : 0;
  for (let offset = 0; offset < 500; offset++) {
    const individual = String(centuryBase + ((seed * 37 + offset) % 500)).padStart(3, '0');
    // The individual number's last digit is the legal gender (odd: male), which the record must match.
    if (Number(individual[2]) % 2 !== (gender === 'male' ? 1 : 0)) continue;
    const digits = [...`${datePart}${individual}`].map(Number);
    const k1 = mod11CheckDigit(digits, K1);
    if (k1 === null) continue;
    const k2 = mod11CheckDigit([...digits, k1], K2);
    if (k2 === null) continue;
    const candidate = `${datePart}${individual}${k1}${k2}`;
    if (parseNationalIdentityNumber(candidate, { allowSynthetic: true }).ok) return candidate;
  }
  throw new Error(`no synthetic number for ${birthDate}`);
}

interface DemoPeople {
  organisationId: string;
  lege: string;
  psykolog: string;
}

const DEMO_PATIENTS = [
  { givenName: 'Kari', familyName: 'Nordmann', dateOfBirth: '1965-07-15', gender: 'female' as const, address: 'Storgata 1, 0155 Oslo', phone: '+4791000001' },
  { givenName: 'Ola', familyName: 'Hansen', dateOfBirth: '1982-03-02', gender: 'male' as const, address: 'Fjordveien 12, 5003 Bergen', phone: '+4791000002' },
  { givenName: 'Ingrid', familyName: 'Solberg', dateOfBirth: '1994-11-23', gender: 'female' as const, address: 'Nidarosgata 5, 7012 Trondheim', phone: '+4791000003' },
  { givenName: 'Åse', familyName: 'Ødegård', dateOfBirth: '1951-01-30', gender: 'female' as const, address: 'Bakkeveien 3, 9008 Tromsø', phone: '+4791000004' },
  { givenName: 'Per', familyName: 'Berg', dateOfBirth: '2001-06-09', gender: 'male' as const, address: null, phone: '+4791000005' },
];

const NOTE_TEXTS = [
  ['consultation', 'Kommer for vedvarende hoste i tre uker. Ingen feber. Lunger: normale funn. Råd om væske og hvile; ny kontroll ved forverring.'],
  ['phone', 'Telefon: spør om prøvesvar. Blodprøver normale, informert.'],
  ['consultation', 'Kontroll. Hosten er borte. Avslutter oppfølging.'],
  ['consultation', 'Smerter i høyre kne etter fotball. Lett hevelse, stabilt. Henvist til fysioterapi.'],
  ['letter', 'Epikrise fra sykehuset mottatt og gjennomgått.'],
] as const;

/**
 * The journal part of the demo (PLAT-5): patients with histories, each case of the access rules to
 * try — Lars Lege treats four patients (one note amended, one deleted by a documented decision);
 * Pia Psykolog has a booked consultation with one, reads another under a read-share with the
 * patient's consent, and is blocked ("sperret") by a third.
 */
export async function seedDemoJournal(trx: Executor, people: DemoPeople, now: Date): Promise<void> {
  const day = 24 * 60 * 60 * 1000;
  const patientIds: string[] = [];
  for (const [index, patient] of DEMO_PATIENTS.entries()) {
    const row = await trx
      .insertInto('patient')
      .values({ organisation_id: people.organisationId, national_id: syntheticNationalId(patient.dateOfBirth, index + 1, patient.gender), given_name: patient.givenName, family_name: patient.familyName, date_of_birth: patient.dateOfBirth, gender: patient.gender, address: patient.address, phone: patient.phone, email: null, next_of_kin: null, created_by: people.lege })
      .returning('id')
      .executeTakeFirstOrThrow();
    patientIds.push(row.id);
  }
  const [kari, ola, ingrid, ase, per] = patientIds as [string, string, string, string, string];

  for (const patientId of [kari, ola, ingrid, ase]) {
    await trx.insertInto('care_relationship').values({ organisation_id: people.organisationId, patient_id: patientId, user_id: people.lege, kind: 'assigned_clinician', starts_at: new Date(now.getTime() - 400 * day), ends_at: null, created_by: people.lege }).execute();
  }
  await trx.insertInto('appointment').values({ organisation_id: people.organisationId, patient_id: per, clinician_id: people.psykolog, kind: 'consultation', starts_at: new Date(now.getTime() + 2 * day) }).execute();

  // AUD-4: the demo's journal is anchored in its audit log like a real one, so `journal:verify` and
  // `audit:verify` prove it intact. Each signature, amendment and the deletion gets the event the
  // product would have written, as Lars Lege at that time. These are the first events of a fresh
  // demo database (the seed runs once, before the first seal), so their past times are not
  // backdated by the rule of ADR 0007.
  const lars = await trx.selectFrom('app_user').select(['display_name', 'profession']).where('id', '=', people.lege).executeTakeFirstOrThrow();
  const larsActor: AuditActor = { organisationId: people.organisationId, userId: people.lege, displayName: lars.display_name, roles: ['clinician'], profession: lars.profession, sessionId: null, authMethod: 'password+totp', deviceId: null };
  const recordAs = (at: Date, event: AuditEventInput) => writeAuditEvent(trx, larsActor, { basis: 'treatment_relationship', ...event }, { now: at, clientIp: undefined });

  const signedNote = async (patientId: string, author: string, noteType: string, daysAgo: number, body: string) => {
    const at = new Date(now.getTime() - daysAgo * day);
    const consultationDate = at.toISOString().slice(0, 10);
    const note = await trx
      .insertInto('journal_note')
      .values({ organisation_id: people.organisationId, patient_id: patientId, author_id: author, note_type: noteType, consultation_date: consultationDate, status: 'signed', created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow();
    const contentHash = signedContentHash({ noteId: note.id, patientId, version: 1, noteType, consultationDate, body, amendmentReason: null, signedBy: author, signedAt: at, signedAuthMethod: 'password+totp' });
    const version = await trx
      .insertInto('journal_note_version')
      .values({ organisation_id: people.organisationId, note_id: note.id, version: 1, body, amendment_reason: null, created_by: author, created_at: at, updated_at: at, signed_by: author, signed_at: at, signed_auth_method: 'password+totp', content_hash: contentHash })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAs(at, { action: 'journal.note.signed', patientId, objectType: 'journal_note', objectId: note.id, details: { version: 1, anchor: signatureAnchor(version.id, contentHash) } });
    return { noteId: note.id, consultationDate, noteType };
  };

  const kariNotes = [];
  for (const [index, [noteType, body]] of NOTE_TEXTS.entries()) kariNotes.push(await signedNote(kari, people.lege, noteType, 200 - index * 30, body));
  await signedNote(ola, people.lege, 'consultation', 12, 'Ryggsmerter etter flytting. Råd om aktivitet, ibux ved behov.');
  await signedNote(ingrid, people.lege, 'consultation', 30, 'Samtale om søvnvansker. Søvnhygiene gjennomgått.');
  await signedNote(ase, people.lege, 'home_visit', 3, 'Hjemmebesøk: svimmel ved oppreisning. Blodtrykk 110/70 sittende, 95/60 stående. Reduserer dose.');

  // One amended note: version 2 with a reason, the original kept (JRN-4).
  const amended = kariNotes[3]!;
  const amendedAt = new Date(now.getTime() - 80 * day);
  const amendedBody = 'Smerter i venstre kne etter fotball. Lett hevelse, stabilt. Henvist til fysioterapi.';
  const amendedHash = signedContentHash({ noteId: amended.noteId, patientId: kari, version: 2, noteType: amended.noteType, consultationDate: amended.consultationDate, body: amendedBody, amendmentReason: 'Feil side ført opp: gjelder venstre kne.', signedBy: people.lege, signedAt: amendedAt, signedAuthMethod: 'password+totp' });
  const amendedVersion = await trx
    .insertInto('journal_note_version')
    .values({
      organisation_id: people.organisationId,
      note_id: amended.noteId,
      version: 2,
      body: amendedBody,
      amendment_reason: 'Feil side ført opp: gjelder venstre kne.',
      created_by: people.lege,
      created_at: amendedAt,
      updated_at: amendedAt,
      signed_by: people.lege,
      signed_at: amendedAt,
      signed_auth_method: 'password+totp',
      content_hash: amendedHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAs(amendedAt, { action: 'journal.note.amended', patientId: kari, objectType: 'journal_note', objectId: amended.noteId, details: { version: 2, anchor: signatureAnchor(amendedVersion.id, amendedHash) } });
  await trx.updateTable('journal_note').set({ status: 'amended', current_version: 2 }).where('id', '=', amended.noteId).execute();

  // A note deleted by a documented decision (JRN-4, helsepersonelloven § 43): written in Kari's
  // journal by mistake, deleted at her request. The record keeps the decision, not the text.
  const misfiled = await signedNote(kari, people.lege, 'phone', 45, 'Telefon: prøvesvar gjennomgått (ført i feil journal).');
  const decidedAt = new Date(now.getTime() - 14 * day);
  const deletion = await trx
    .insertInto('journal_deletion')
    .values({
      organisation_id: people.organisationId,
      patient_id: kari,
      note_id: misfiled.noteId,
      versions_deleted: 1,
      legal_ground: 'incorrect_or_misleading',
      is_harmless_for_general_interests: true,
      is_compatible_with_archive_law: true,
      requested_at: new Date(now.getTime() - 20 * day).toISOString().slice(0, 10),
      reason: 'Notatet gjaldt en annen pasient og ble ført i Karis journal ved en forveksling. Kari ba om at det ble slettet.',
      decided_by: people.lege,
      decided_at: decidedAt,
      consulted_author_id: null,
      author_not_consulted_reason: 'author_is_decider',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('journal_note_version').where('note_id', '=', misfiled.noteId).execute();
  await trx.deleteFrom('journal_note').where('id', '=', misfiled.noteId).execute();
  // The deletion's event accounts for the signed version that is gone (as deletion.ts writes it).
  await recordAs(decidedAt, {
    action: 'journal.note.deleted',
    patientId: kari,
    objectType: 'journal_note',
    objectId: misfiled.noteId,
    details: { deletionId: deletion.id, legalGround: 'incorrect_or_misleading', versionsDeleted: 1, authorConsultation: 'author_is_decider' },
  });

  // A read-share to Pia for supervision, under Ola's recorded verbal consent (SHR-1, SHR-2).
  const consent = await trx
    .insertInto('patient_consent')
    .values({ organisation_id: people.organisationId, patient_id: ola, given_by: 'patient', method: 'verbal', given_at: new Date(now.getTime() - day), recorded_by: people.lege, scope: 'whole_journal', purpose: 'Veiledning', withdrawn_at: null, withdrawn_by: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('read_share')
    .values({ organisation_id: people.organisationId, patient_id: ola, grantee_id: people.psykolog, granted_by: people.lege, consent_id: consent.id, scope: 'whole_journal', purpose: 'Veiledning', starts_at: new Date(now.getTime() - day), ends_at: new Date(now.getTime() + 30 * day), revoked_at: null, revoked_by: null })
    .execute();

  // Ingrid has barred Pia from her journal (ACC-4); Pia has a care-team role there that the block overrides.
  await trx.insertInto('care_relationship').values({ organisation_id: people.organisationId, patient_id: ingrid, user_id: people.psykolog, kind: 'care_team', starts_at: new Date(now.getTime() - 60 * day), ends_at: null, created_by: people.lege }).execute();
  await trx
    .insertInto('patient_block')
    .values({ organisation_id: people.organisationId, patient_id: ingrid, blocked_user_id: people.psykolog, scope: 'whole_journal', requested_at: new Date(now.getTime() - 10 * day), recorded_by: people.lege, lifted_at: null, lifted_by: null })
    .execute();
}
