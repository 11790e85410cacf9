import { parseNationalIdentityNumber } from '../../shared/national-identity-number';
import type { SecretBox } from '../auth/secret-box';

/** The keyed hash's purpose: matches a number within a company without storing it readable (CRM-4). */
export const NATIONAL_ID_MAC_PURPOSE = 'portal.national_id';

/** The birth-date part and five stars: tells two employees apart on a list, not who they are. */
export function maskNationalId(nationalId: string): string {
  return `${nationalId.slice(0, 6)}*****`;
}

/** What the row stores of a number: sealed to the row's id (copied onto another row it does not open), its hash, its mask. */
export function protectNationalId(secretBox: SecretBox, employeeId: string, nationalId: string) {
  return {
    national_id_sealed: secretBox.seal(nationalId, employeeId),
    national_id_hmac: nationalIdHmac(secretBox, nationalId),
    national_id_masked: maskNationalId(nationalId),
  };
}

export function nationalIdHmac(secretBox: SecretBox, nationalId: string): Buffer {
  return secretBox.mac(NATIONAL_ID_MAC_PURPOSE, nationalId);
}

/** Synthetic test numbers pass the shared schema; outside the demo they are refused. */
export function isSyntheticNationalId(nationalId: string): boolean {
  const parsed = parseNationalIdentityNumber(nationalId, { allowSynthetic: true });
  return parsed.ok && parsed.kind === 'synthetic';
}
