/**
 * Norwegian national identity numbers: fødselsnummer (fnr) and D-number (dnr), plus the
 * synthetic numbers used for testing (H-numbers, month + 40; Skatteetaten/NAV "Tenor" synthetic
 * persons, month + 80), which are accepted only in demo mode ({ allowSynthetic: true }).
 *
 * Layout: DDMMYY III K1 K2
 *   DD   day of birth (D-number: + 40, i.e. first digit + 4)
 *   MM   month of birth (H-number: + 40, Tenor synthetic: + 80)
 *   YY   two-digit year; the century follows from the individual number III
 *   III  individual number; its last digit is odd for men, even for women
 *   K1   mod-11 check digit over the first 9 digits (weights 3 7 6 1 8 9 4 5 2)
 *   K2   mod-11 check digit over the first 10 digits (weights 5 4 3 2 7 6 5 4 3 2)
 * A computed check digit of 11 becomes 0; a computed check digit of 10 makes the number invalid.
 *
 * Pure TypeScript: shared between the main process, the backend and the renderer.
 */
import { z } from 'zod';

export type NationalIdentityNumberKind = 'fnr' | 'dnr' | 'synthetic';

export type NationalIdentityNumberFailureReason =
  | 'format'
  | 'date'
  | 'checksum'
  | 'synthetic_not_allowed';

export interface NationalIdentityNumberOptions {
  /** Accept H-numbers (month + 40) and Tenor synthetic numbers (month + 80). Demo mode only. */
  readonly allowSynthetic?: boolean;
}

export type NationalIdentityNumberParseResult =
  | {
      readonly ok: true;
      readonly kind: NationalIdentityNumberKind;
      /** The number as 11 ASCII digits, without whitespace. */
      readonly value: string;
      /** ISO date, yyyy-mm-dd. For synthetic numbers the date may be fictional. */
      readonly birthDate: string;
      readonly gender: 'female' | 'male';
    }
  | { readonly ok: false; readonly reason: NationalIdentityNumberFailureReason };

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** Six digits, one optional ASCII space, five digits; ASCII digits only (no '١' and the like). */
const NATIONAL_IDENTITY_NUMBER_PATTERN = /^([0-9]{6}) ?([0-9]{5})$/;

/** The i18n key for a failure reason, e.g. `validation.nationalIdentityNumber.checksum`. */
export function nationalIdentityNumberErrorKey(reason: NationalIdentityNumberFailureReason): string {
  return `validation.nationalIdentityNumber.${reason}`;
}

/**
 * Trims surrounding whitespace and removes one optional space between the 6th and 7th digit.
 * Returns the 11 digits, or null when the input is not in that shape (or not a string at all).
 */
export function normalizeNationalIdentityNumber(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const match = NATIONAL_IDENTITY_NUMBER_PATTERN.exec(input.trim());
  if (!match) return null;
  return `${match[1]}${match[2]}`;
}

/**
 * The mod-11 check digit for `digits` with `weights` (same length), or null when the
 * remainder makes it 10 (no valid check digit exists).
 */
export function mod11CheckDigit(digits: readonly number[], weights: readonly number[]): number | null {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += (digits[i] ?? 0) * (weights[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** Full year from the two-digit year and the individual number, or null when no range covers it. */
function fullYear(yy: number, individual: number): number | null {
  if (individual <= 499) return 1900 + yy;
  if (individual >= 900 && yy >= 40) return 1900 + yy;
  // individual 500–999 from here
  if (yy <= 39) return 2000 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  return null;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= daysInMonth;
}

function pad(value: number, length: number): string {
  return String(value).padStart(length, '0');
}

export function parseNationalIdentityNumber(
  input: string,
  options: NationalIdentityNumberOptions = {},
): NationalIdentityNumberParseResult {
  const value = normalizeNationalIdentityNumber(input);
  if (value === null) return { ok: false, reason: 'format' };

  const digits = Array.from(value, (c) => c.charCodeAt(0) - 48);

  const k1 = mod11CheckDigit(digits, K1_WEIGHTS);
  if (k1 === null || k1 !== digits[9]) return { ok: false, reason: 'checksum' };
  const k2 = mod11CheckDigit(digits, K2_WEIGHTS);
  if (k2 === null || k2 !== digits[10]) return { ok: false, reason: 'checksum' };

  const dayField = Number(value.slice(0, 2));
  const monthField = Number(value.slice(2, 4));
  const yy = Number(value.slice(4, 6));
  const individual = Number(value.slice(6, 9));

  let day: number;
  let isDNumber = false;
  if (dayField >= 1 && dayField <= 31) {
    day = dayField;
  } else if (dayField >= 41 && dayField <= 71) {
    day = dayField - 40;
    isDNumber = true;
  } else {
    return { ok: false, reason: 'date' };
  }

  let month: number;
  let isSynthetic = false;
  if (monthField >= 1 && monthField <= 12) {
    month = monthField;
  } else if (monthField >= 41 && monthField <= 52) {
    month = monthField - 40; // H-number (also NAV Dolly test persons)
    isSynthetic = true;
  } else if (monthField >= 81 && monthField <= 92) {
    month = monthField - 80; // Skatteetaten Tenor synthetic person
    isSynthetic = true;
  } else {
    return { ok: false, reason: 'date' };
  }

  if (isSynthetic && options.allowSynthetic !== true) {
    return { ok: false, reason: 'synthetic_not_allowed' };
  }

  const year = fullYear(yy, individual);
  if (year === null || !isCalendarDate(year, month, day)) return { ok: false, reason: 'date' };

  const kind: NationalIdentityNumberKind = isSynthetic ? 'synthetic' : isDNumber ? 'dnr' : 'fnr';
  const gender = (digits[8] ?? 0) % 2 === 1 ? 'male' : 'female';
  return {
    ok: true,
    kind,
    value,
    birthDate: `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`,
    gender,
  };
}

export function isValidNationalIdentityNumber(
  input: string,
  options: NationalIdentityNumberOptions = {},
): boolean {
  return parseNationalIdentityNumber(input, options).ok;
}

/**
 * Zod schema: accepts what parseNationalIdentityNumber accepts and outputs the normalized
 * 11 digits. Error messages are i18n keys (`validation.nationalIdentityNumber.<reason>`), with
 * the reason also in the issue's params.
 */
export function nationalIdentityNumberSchema(options: NationalIdentityNumberOptions = {}) {
  return z
    .string({ error: nationalIdentityNumberErrorKey('format') })
    .transform((input, ctx) => {
      const result = parseNationalIdentityNumber(input, options);
      if (!result.ok) {
        ctx.addIssue({
          code: 'custom',
          message: nationalIdentityNumberErrorKey(result.reason),
          params: { reason: result.reason },
          input,
        });
        return z.NEVER;
      }
      return result.value;
    });
}

/** What a patient's record states that the number also states (JRN-1). */
export interface StatedIdentity {
  /** ISO date, yyyy-mm-dd. */
  readonly dateOfBirth: string;
  /** The recorded gender; only `female` and `male` can contradict the number's legal gender. */
  readonly gender: string;
}

/**
 * The fields of a record that contradict its number: the date of birth must be the number's (D- and
 * synthetic numbers decoded, the century from the individual number), and a recorded `female` or
 * `male` must be the legal gender of the 9th digit. `other` and `unknown` say nothing the number
 * could contradict. An invalid number has no opinion: its own error is reported instead.
 */
export function fieldsContradictingNationalIdentityNumber(
  nationalId: string,
  stated: StatedIdentity,
  options: NationalIdentityNumberOptions = {},
): ('dateOfBirth' | 'gender')[] {
  const parsed = parseNationalIdentityNumber(nationalId, options);
  if (!parsed.ok) return [];
  const contradicting: ('dateOfBirth' | 'gender')[] = [];
  if (stated.dateOfBirth !== parsed.birthDate) contradicting.push('dateOfBirth');
  if ((stated.gender === 'female' || stated.gender === 'male') && stated.gender !== parsed.gender) contradicting.push('gender');
  return contradicting;
}
