/** Norsk bokmål. Personvernombudet: sletting, begrensning, slettestopp og sletteplan (DPO-5, DPO-6). */
export const dpoErasure = {
  dpoErasure: {},
};
