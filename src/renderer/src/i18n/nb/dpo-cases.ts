/** Norsk bokmål. Personvernombudet: begjæringer fra registrerte (DPO-4). */
export const dpoCases = {
  dpoCases: {},
};
