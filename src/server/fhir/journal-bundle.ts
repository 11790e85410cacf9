import type { Bundle, DocumentReference, FhirResource, Patient } from 'fhir/r4';
import { collectionBundle, JOURNALKONTOR_SYSTEM } from './audit-event';

/**
 * A patient's journal as a FHIR R4 Bundle (DPO-5): the Patient and each note as a
 * DocumentReference with its text attached (text/plain, base64), one per signed version so the
 * history the person has a right to see is there too. DocumentReference rather than Composition:
 * each note is a document of its own with its own author, date and status, not a section of one
 * clinical document, and a DocumentReference needs no Practitioner resources to be valid
 * (docs/adr/0016-fhir-exports.md).
 */
export interface BundlePatient {
  id: string;
  nationalId: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  gender: 'female' | 'male' | 'other' | 'unknown';
  address: string | null;
  phone: string | null;
  email: string | null;
}

export interface BundleNoteVersion {
  noteId: string;
  version: number;
  isCurrent: boolean;
  noteType: string;
  consultationDate: string;
  status: 'draft' | 'signed' | 'amended';
  authorId: string;
  authorName: string;
  body: string;
  amendmentReason: string | null;
  createdAt: string;
  signedAt: string | null;
  signedByName: string | null;
}

/** Norwegian national identity numbers (fødselsnummer/D-nummer): the OID the Norwegian FHIR profiles use. */
const NATIONAL_ID_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.1';

export function patientResource(patient: BundlePatient): Patient {
  return {
    resourceType: 'Patient',
    id: patient.id,
    identifier: [{ system: NATIONAL_ID_SYSTEM, value: patient.nationalId }],
    name: [{ family: patient.familyName, given: [patient.givenName] }],
    gender: patient.gender,
    birthDate: patient.dateOfBirth,
    ...(patient.address ? { address: [{ text: patient.address }] } : {}),
    ...(patient.phone || patient.email
      ? {
          telecom: [
            ...(patient.phone ? [{ system: 'phone' as const, value: patient.phone }] : []),
            ...(patient.email ? [{ system: 'email' as const, value: patient.email }] : []),
          ],
        }
      : {}),
  };
}

export function noteResource(patientId: string, note: BundleNoteVersion): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id: `${note.noteId}-v${note.version}`,
    identifier: [{ system: `${JOURNALKONTOR_SYSTEM}/journal-note`, value: note.noteId }],
    // A version superseded by an amendment is kept in the history (JRN-4): superseded, not current.
    status: note.isCurrent ? 'current' : 'superseded',
    docStatus: note.status === 'draft' ? 'preliminary' : note.status === 'amended' ? 'amended' : 'final',
    type: { coding: [{ system: `${JOURNALKONTOR_SYSTEM}/CodeSystem/note-type`, code: note.noteType }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }] }],
    subject: { reference: `Patient/${patientId}` },
    date: note.signedAt ?? note.createdAt,
    author: [{ display: note.authorName }],
    ...(note.signedByName ? { authenticator: { display: note.signedByName } } : {}),
    ...(note.amendmentReason ? { description: `Rettet: ${note.amendmentReason}` } : {}),
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          language: 'nb',
          data: Buffer.from(note.body, 'utf8').toString('base64'),
          title: `${note.consultationDate} ${note.noteType} v${note.version}`,
          creation: note.createdAt,
        },
      },
    ],
    context: { period: { start: note.consultationDate } },
  };
}

export function journalBundle(id: string, timestamp: Date, patient: BundlePatient | null, notes: readonly BundleNoteVersion[]): Bundle<FhirResource> {
  const resources: FhirResource[] = patient ? [patientResource(patient), ...notes.map((note) => noteResource(patient.id, note))] : [];
  return collectionBundle(id, timestamp, resources);
}
