/** Norsk bokmål. Personvernombudet: loggkontroll og integritet (DPO-1, DPO-8). */
export const dpoLog = {
  dpoLog: {},
};
