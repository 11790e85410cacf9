import { describe, expect, it } from 'vitest';
import { en } from '../../../src/renderer/src/i18n/en';
import { nb } from '../../../src/renderer/src/i18n/nb';
import { AUTHOR_CONSULTATIONS, DELETION_GROUNDS } from '../../../src/shared/journal-deletion';
import { BREAK_GLASS_REASONS, GENDERS, NOTE_TYPES } from '../../../src/shared/patient-schemas';

function lookup(catalogue: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined), catalogue);
}

/** The validation keys the patient, journal, access and sharing procedures send (their schemas and fieldError calls). */
const JOURNAL_VALIDATION_KEYS = [
  'validation.date',
  'validation.date_in_past',
  'validation.date_in_future',
  'validation.too_long',
  'validation.search_too_short',
  'validation.acknowledge',
  'validation.nationalId_taken',
  'validation.consent_required',
  'validation.consent_scope',
  'validation.break_glass_not_needed',
  'validation.patient_or_number',
  'validation.note_not_draft',
  'validation.note_is_draft',
  'validation.unknown_colleague',
  'validation.unknown_note',
  'validation.not_yourself',
  'validation.required',
  'validation.phone',
  'validation.email',
  'validation.id',
  'validation.deletion_ground',
  'validation.deletion_condition',
  'validation.deletion_reason_short',
  'validation.deletion_not_author',
  'validation.deletion_is_author',
];

describe.each(Object.entries({ nb, en }))('the %s catalogue', (_language, catalogue) => {
  it.each(JOURNAL_VALIDATION_KEYS)('PLAT-6: %s is translated', (key) => {
    expect(typeof lookup(catalogue, key)).toBe('string');
  });

  it('PLAT-4: every note type (the refused correction included), gender, break-glass reason and basis has a name', () => {
    for (const type of [...NOTE_TYPES, 'correction_refused']) expect(typeof lookup(catalogue, `journal.noteTypes.${type}`), type).toBe('string');
    for (const gender of GENDERS) expect(typeof lookup(catalogue, `journal.genders.${gender}`), gender).toBe('string');
    for (const reason of BREAK_GLASS_REASONS) expect(typeof lookup(catalogue, `journal.breakGlass.reasons.${reason}`), reason).toBe('string');
    for (const basis of ['treatment_relationship', 'read_share', 'break_glass']) expect(typeof lookup(catalogue, `journal.basis.${basis}`), basis).toBe('string');
    for (const status of ['draft', 'signed', 'amended']) expect(typeof lookup(catalogue, `journal.noteStatus.${status}`), status).toBe('string');
  });

  it('JRN-4: every deletion ground and author consultation has words, in the form and in the record', () => {
    for (const ground of DELETION_GROUNDS) {
      expect(typeof lookup(catalogue, `journal.deletion.grounds.${ground}`), ground).toBe('string');
      expect(typeof lookup(catalogue, `journal.deletions.grounds.${ground}`), ground).toBe('string');
    }
    for (const option of AUTHOR_CONSULTATIONS) {
      expect(typeof lookup(catalogue, `journal.deletion.consultations.${option}`), option).toBe('string');
      if (option !== 'consulted') expect(typeof lookup(catalogue, `journal.deletions.notConsulted.${option}`), option).toBe('string');
    }
  });

  it('ACC-5: each refusal of access has its own words', () => {
    for (const key of ['error.access.noBasis', 'error.access.blocked', 'error.access.readOnly']) expect(typeof lookup(catalogue, key), key).toBe('string');
  });
});

describe('the Bokmål words the spec names', () => {
  it('JRN, ACC-3, ACC-4, DPO-5: basis badges (a data-subject request among them) and the blocked-notes notice', () => {
    expect(nb.journal.basis).toEqual({ treatment_relationship: 'Behandlingsrelasjon', read_share: 'Lesetilgang (deling)', break_glass: 'Akuttilgang', dsr_case: 'Innsynssak (personvernombud)' });
    expect(nb.journal.blockedNotes).toBe('Noe av journalen er sperret for deg. Du kan be pasienten oppheve sperringen.');
    expect(nb.journal.noteStatus).toEqual({ draft: 'Utkast', signed: 'Signert', amended: 'Rettet' });
  });
});
