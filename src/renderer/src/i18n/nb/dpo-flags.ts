/** Norsk bokmål. Personvernombudet: avvik til etterkontroll (DPO-2). */
export const dpoFlags = {
  dpoFlags: {},
};
