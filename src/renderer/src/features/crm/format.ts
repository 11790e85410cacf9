import { normalizeOrganisationNumber } from '../../../../shared/organisation-number';

/**
 * An organisation number grouped 3-3-3 ("923 609 016"), as Brønnøysundregistrene shows it and as
 * people read it aloud on the phone. Anything that is not nine digits is shown as it is.
 */
export function formatOrganisationNumber(value: string): string {
  const digits = normalizeOrganisationNumber(value);
  return digits ? `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}` : value;
}
