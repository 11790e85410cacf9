/**
 * The words of the problem-rows file (CRM-4): the file goes to a Norwegian HR department and is
 * opened in Excel, far from the app's translations, so the server writes the error column in
 * Norwegian itself. An unknown key is written as it is: still findable, never an empty cell.
 */

const FIELD_LABELS: Record<string, string> = {
  fullName: 'Navn',
  nationalId: 'Fødselsnummer',
  phone: 'Telefon',
  email: 'E-post',
};

const MESSAGES: Record<string, string> = {
  'validation.required': 'må fylles ut',
  'validation.too_long': 'er for langt',
  'validation.text_malformed': 'inneholder et ødelagt tegn',
  'validation.text_control': 'inneholder et usynlig kontrolltegn',
  'validation.phone': 'er ikke et gyldig telefonnummer (8 siffer, eller med landskode)',
  'validation.email': 'er ikke en gyldig e-postadresse',
  'validation.nationalIdentityNumber.format': 'må ha 11 siffer',
  'validation.nationalIdentityNumber.date': 'inneholder ingen gyldig dato',
  'validation.nationalIdentityNumber.checksum': 'har feil kontrollsiffer',
  'validation.nationalIdentityNumber.synthetic_not_allowed': 'er et syntetisk testnummer, som ikke godtas',
  'validation.duplicate_in_file': 'står på en tidligere rad i samme fil',
  'validation.import.duplicate_row': 'står på en tidligere rad i samme fil',
  'validation.invalid_type': 'har feil type',
};

/** "Fødselsnummer: har feil kontrollsiffer" — the field's label and the rule, never the value. */
export function describeImportError(field: string, messageKey: string): string {
  const message = MESSAGES[messageKey] ?? messageKey;
  const label = FIELD_LABELS[field];
  return label ? `${label}: ${message}` : message;
}

/** The header of the error column in the problem-rows file. */
export const PROBLEM_ROWS_ERRORS_COLUMN = 'Feil';
