import { describe, expect, it } from 'vitest';
import { fieldsContradictingNationalIdentityNumber, parseNationalIdentityNumber } from '../../../src/shared/national-identity-number';
import { invalidSearchedNumberKey, patientDetailsSchema } from '../../../src/shared/patient-schemas';

// Check digits computed independently (not with the module under test).
const derivations: ReadonlyArray<readonly [string, string, string, 'female' | 'male', boolean]> = [
  // [number, what it is, date of birth, legal gender, synthetic]
  ['15078900161', 'fødselsnummer, individual 001–499: 1900s', '1989-07-15', 'male', false],
  ['15076500050', 'fødselsnummer, even 9th digit', '1965-07-15', 'female', false],
  ['31121750069', 'individual 500–999 with year 00–39: 2000s', '2017-12-31', 'female', false],
  ['01036050183', 'individual 500–749 with year 54–99: 1800s', '1860-03-01', 'male', false],
  ['01014090017', 'individual 900–999 with year 40–99: 1900s', '1940-01-01', 'female', false],
  ['51106297510', 'D-number: day + 40', '1962-10-11', 'male', false],
  ['71039000150', 'D-number on the 31st', '1990-03-31', 'male', false],
  ['15478500170', 'H-number: month + 40', '1985-07-15', 'male', true],
  ['15878500072', 'Tenor synthetic: month + 80', '1985-07-15', 'female', true],
  ['55812050086', 'Tenor synthetic D-number: day + 40, month + 80', '2020-01-15', 'female', true],
];

describe('date of birth and legal gender from a national identity number (JRN-1)', () => {
  it.each(derivations)('JRN-1: %s (%s) states %s, %s', (number, _what, birthDate, gender, isSynthetic) => {
    expect(parseNationalIdentityNumber(number, { allowSynthetic: isSynthetic })).toMatchObject({ ok: true, birthDate, gender });
    expect(fieldsContradictingNationalIdentityNumber(number, { dateOfBirth: birthDate, gender }, { allowSynthetic: isSynthetic })).toEqual([]);
  });

  it('JRN-1: a man born 15.07.1989 is neither a woman nor born 01.01.1901', () => {
    expect(fieldsContradictingNationalIdentityNumber('15078900161', { dateOfBirth: '1901-01-01', gender: 'female' })).toEqual(['dateOfBirth', 'gender']);
    expect(fieldsContradictingNationalIdentityNumber('15078900161', { dateOfBirth: '1989-07-15', gender: 'female' })).toEqual(['gender']);
    // The century matters: 15.07.1889 is not 15.07.1989.
    expect(fieldsContradictingNationalIdentityNumber('15078900161', { dateOfBirth: '1889-07-15', gender: 'male' })).toEqual(['dateOfBirth']);
  });

  it('JRN-1: a D-number’s date is the day minus 40, never the day as written', () => {
    expect(fieldsContradictingNationalIdentityNumber('51106297510', { dateOfBirth: '1962-10-11', gender: 'male' })).toEqual([]);
    expect(fieldsContradictingNationalIdentityNumber('51106297510', { dateOfBirth: '1962-10-01', gender: 'male' })).toEqual(['dateOfBirth']);
  });

  it('JRN-1: `other` and `unknown` are no contradiction; an invalid number has no opinion (its own error is reported)', () => {
    for (const gender of ['other', 'unknown']) expect(fieldsContradictingNationalIdentityNumber('15078900161', { dateOfBirth: '1989-07-15', gender })).toEqual([]);
    expect(fieldsContradictingNationalIdentityNumber('15078900162', { dateOfBirth: '1901-01-01', gender: 'female' })).toEqual([]);
    // Synthetic numbers state nothing where they are not allowed.
    expect(fieldsContradictingNationalIdentityNumber('15478500170', { dateOfBirth: '1901-01-01', gender: 'female' })).toEqual([]);
  });

  it('JRN-1: the shared patient schema refuses a contradiction on the field it concerns, with a translation key', () => {
    const result = patientDetailsSchema.safeParse({ nationalId: '15078900161', givenName: 'Per', familyName: 'Hansen', dateOfBirth: '1901-01-01', gender: 'female' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['dateOfBirth', 'validation.dateOfBirth_contradicts_number'],
      ['gender', 'validation.gender_contradicts_number'],
    ]);
    expect(patientDetailsSchema.safeParse({ nationalId: '150789 00161', givenName: 'Per', familyName: 'Hansen', dateOfBirth: '1989-07-15', gender: 'male' }).success).toBe(true);
  });
});

describe('a fødselsnummer typed into search (JRN-1)', () => {
  it('JRN-1: 11 digits with wrong check digits are invalid; names, dates and valid numbers are not', () => {
    expect(invalidSearchedNumberKey('15078900162')).toBe('validation.nationalIdentityNumber.checksum');
    expect(invalidSearchedNumberKey('150789 00162')).toBe('validation.nationalIdentityNumber.checksum');
    expect(invalidSearchedNumberKey('15078900161')).toBeNull();
    expect(invalidSearchedNumberKey('Nordmann')).toBeNull();
    expect(invalidSearchedNumberKey('15.07.1989')).toBeNull();
    expect(invalidSearchedNumberKey('1507890016')).toBeNull();
  });

  it('JRN-1: synthetic numbers only where allowed (the server knows the mode)', () => {
    expect(invalidSearchedNumberKey('15878500072')).toBeNull();
    expect(invalidSearchedNumberKey('15878500072', { allowSynthetic: false })).toBe('validation.nationalIdentityNumber.synthetic_not_allowed');
  });
});
