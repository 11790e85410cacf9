/** Norsk bokmål. Personvernombudet: innsyn i logg og protokoller (DPO-3, DPO-7). */
export const dpoReport = {
  dpoReport: {},
};
