/** Norsk bokmål. Personvernombudets arbeidsflate (DPO-1…8): menyen og det alle verktøyene deler. */
export const dpo = {
  dpo: {
    nav: {
      flags: 'Personvern',
      log: 'Loggkontroll',
      'access-report': 'Innsyn i logg',
      cases: 'Begjæringer',
      retention: 'Sletteplan',
      registers: 'Protokoller',
      integrity: 'Loggens integritet',
    },
  },
};
