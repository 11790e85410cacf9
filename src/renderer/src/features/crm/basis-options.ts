import { CONTACT_PURPOSES, LEGAL_BASES, LEGAL_BASIS_RULES, type LegalBasis, LEGAL_BASIS_SOURCES } from '../../../../shared/crm-schemas';
import { translateCode } from '../../lib/translate';

/**
 * The choices of a legal-basis form (CRM-2), narrowed by the shared rules the server enforces:
 * the bases a purpose may rest on, the sources a basis may come from. A form offers only
 * combinations the server accepts, so a salesperson is not taught the rules by refusals.
 */
export function basesFor(purpose: string): LegalBasis[] {
  return LEGAL_BASES.filter((basis) => (LEGAL_BASIS_RULES[basis].purposes as readonly string[]).includes(purpose));
}

export function sourcesFor(basis: string): readonly string[] {
  return (LEGAL_BASES as readonly string[]).includes(basis) ? LEGAL_BASIS_RULES[basis as LegalBasis].sources : LEGAL_BASIS_SOURCES;
}

export const purposeOptions = (purposes: readonly string[] = CONTACT_PURPOSES) => purposes.map((value) => ({ value, label: translateCode(`crm.purpose.${value}`) }));
export const basisOptions = (purpose: string) => basesFor(purpose).map((value) => ({ value, label: translateCode(`crm.basis.${value}`) }));
export const sourceOptions = (basis: string) => sourcesFor(basis).map((value) => ({ value, label: translateCode(`crm.basisSource.${value}`) }));

/** A basis and source that fit a newly chosen purpose: the current ones if they still fit, else the first that does. */
export function fittingBasis(purpose: string, basis: string, source: string): { basis: string; source: string } {
  const bases = basesFor(purpose);
  const nextBasis = (bases as string[]).includes(basis) ? basis : (bases[0] ?? basis);
  const sources = sourcesFor(nextBasis);
  return { basis: nextBasis, source: sources.includes(source) ? source : (sources[0] ?? source) };
}
