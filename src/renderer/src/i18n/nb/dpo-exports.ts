/** Norsk bokmål. Personvernombudet: eksport av loggen og innsynspakker (AUD-5, DPO-5). */
export const dpoExports = {
  dpoExports: {},
};
