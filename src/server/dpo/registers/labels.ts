/** Bokmål names of the registers' codes for the exports (DPO-7); the screen has the same in i18n `dpoReport`. */
export const LEGAL_BASIS_LABELS: Record<string, string> = {
  gdpr_6_1_a: 'GDPR art. 6 nr. 1 a (samtykke)',
  gdpr_6_1_b: 'GDPR art. 6 nr. 1 b (avtale)',
  gdpr_6_1_c: 'GDPR art. 6 nr. 1 c (rettslig forpliktelse)',
  gdpr_6_1_d: 'GDPR art. 6 nr. 1 d (vitale interesser)',
  gdpr_6_1_e: 'GDPR art. 6 nr. 1 e (allmennhetens interesse eller offentlig myndighet)',
  gdpr_6_1_f: 'GDPR art. 6 nr. 1 f (berettiget interesse)',
  gdpr_9_2_a: 'GDPR art. 9 nr. 2 a (uttrykkelig samtykke)',
  gdpr_9_2_b: 'GDPR art. 9 nr. 2 b (arbeidsrett)',
  gdpr_9_2_c: 'GDPR art. 9 nr. 2 c (vitale interesser)',
  gdpr_9_2_f: 'GDPR art. 9 nr. 2 f (rettskrav)',
  gdpr_9_2_g: 'GDPR art. 9 nr. 2 g (viktige allmenne interesser)',
  gdpr_9_2_h: 'GDPR art. 9 nr. 2 h (helsehjelp)',
  gdpr_9_2_i: 'GDPR art. 9 nr. 2 i (folkehelse)',
  gdpr_9_2_j: 'GDPR art. 9 nr. 2 j (arkiv, forskning, statistikk)',
};

export const TRANSFER_BASIS_LABELS: Record<string, string> = {
  adequacy_decision: 'Beslutning om tilstrekkelig beskyttelsesnivå (art. 45)',
  standard_contractual_clauses: 'Standard personvernbestemmelser (art. 46)',
  binding_corporate_rules: 'Bindende virksomhetsregler (art. 47)',
  derogation: 'Unntak for særlige situasjoner (art. 49)',
};
