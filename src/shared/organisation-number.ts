/**
 * Norwegian organisasjonsnummer (Enhetsregisteret): 9 digits, the first 8 or 9, the last a
 * mod-11 check digit over the first 8 (weights 3 2 7 6 5 4 3 2). A computed check digit of 11
 * becomes 0; a computed check digit of 10 makes the number invalid.
 *
 * Pure TypeScript: shared between the main process, the backend and the renderer.
 */
import { z } from 'zod';

import { mod11CheckDigit } from './national-identity-number';

export type OrganisationNumberFailureReason = 'format' | 'checksum';

export type OrganisationNumberParseResult =
  | {
      readonly ok: true;
      /** The number as 9 ASCII digits, without whitespace. */
      readonly value: string;
    }
  | { readonly ok: false; readonly reason: OrganisationNumberFailureReason };

const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * Nine ASCII digits starting with 8 or 9, optionally grouped 3-3-3 with single ASCII spaces
 * ("923 609 016", as Brønnøysundregistrene displays it).
 */
const ORGANISATION_NUMBER_PATTERN = /^([89][0-9]{2}) ?([0-9]{3}) ?([0-9]{3})$/;

/** The i18n key for a failure reason, e.g. `validation.organisationNumber.checksum`. */
export function organisationNumberErrorKey(reason: OrganisationNumberFailureReason): string {
  return `validation.organisationNumber.${reason}`;
}

/** The 9 digits, or null when the input is not in an accepted shape (or not a string at all). */
export function normalizeOrganisationNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const match = ORGANISATION_NUMBER_PATTERN.exec(input.trim());
  if (!match) return null;
  return `${match[1]}${match[2]}${match[3]}`;
}

export function parseOrganisationNumber(input: string): OrganisationNumberParseResult {
  const value = normalizeOrganisationNumber(input);
  if (value === null) return { ok: false, reason: 'format' };
  const digits = Array.from(value, (c) => c.charCodeAt(0) - 48);
  const check = mod11CheckDigit(digits, WEIGHTS);
  if (check === null || check !== digits[8]) return { ok: false, reason: 'checksum' };
  return { ok: true, value };
}

export function isValidOrganisationNumber(input: string): boolean {
  return parseOrganisationNumber(input).ok;
}

/**
 * Zod schema: accepts what parseOrganisationNumber accepts and outputs the normalized 9 digits.
 * Error messages are i18n keys (`validation.organisationNumber.<reason>`).
 */
export function organisationNumberSchema() {
  return z
    .string({ error: organisationNumberErrorKey('format') })
    .transform((input, ctx) => {
      const result = parseOrganisationNumber(input);
      if (!result.ok) {
        ctx.addIssue({
          code: 'custom',
          message: organisationNumberErrorKey(result.reason),
          params: { reason: result.reason },
          input,
        });
        return z.NEVER;
      }
      return result.value;
    });
}
