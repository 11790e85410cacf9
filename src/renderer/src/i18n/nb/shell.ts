/** Norsk bokmål. The frame of the app: name, language switch, navigation, connection state, workspaces, system status. */
export const shell = {
  app: {
    name: 'Journalkontor',
    skipToContent: 'Hopp til innhold',
    demoBadge: 'Demo',
    close: 'Lukk',
  },
  language: {
    label: 'Språk',
    nb: 'Norsk',
    en: 'English',
  },
  nav: {
    label: 'Hovedmeny',
    toggle: 'Vis eller skjul menyen',
    journal: 'Journal',
    visits: 'Mine besøk',
    dispatch: 'Hjemmebesøk',
    crm: 'Bedriftskunder',
    dpo: 'Personvern',
    admin: 'Administrasjon',
    status: 'Systemstatus',
    developer: 'Utviklerverktøy: meldinger',
  },
  connection: {
    online: 'Tilkoblet',
    offline: 'Frakoblet',
    checking: 'Kobler til …',
    offlineTitle: 'Får ikke kontakt med serveren',
    offlineBody:
      'Det du har skrevet, blir liggende her. Endringer sendes når forbindelsen er tilbake. Vi prøver igjen hvert {{seconds}}. sekund.',
    backOnline: 'Forbindelsen er tilbake.',
    databaseDown: 'Serveren svarer, men databasen er ikke tilgjengelig.',
  },
  workspace: {
    journal: {
      title: 'Journal',
      description: 'Pasientjournal: finn pasienter du har tjenstlig behov for, skriv, signer og rett notater.',
    },
    crm: {
      title: 'Bedriftskunder',
      description: 'Her skal salg følge opp bedriftskunder, kontaktpersoner og aktiviteter.',
    },
    dpo: {
      title: 'Personvern',
      description: 'Her skal personvernombudet gå gjennom tilgangsloggen, lage innsynsrapporter og følge opp henvendelser fra registrerte.',
    },
    admin: {
      title: 'Administrasjon',
      description: 'Brukere, roller, invitasjoner og innstillinger.',
    },
    notYetAvailable: 'Denne arbeidsflaten er ikke laget ennå. Den kommer i en senere versjon av Journalkontor.',
    meanwhile: 'Inntil da kan du se hva som er registrert om din egen bruk av Journalkontor under',
  },
  status: {
    title: 'Systemstatus',
    backend: 'Server',
    version: 'Versjon',
    database: 'Database',
    databaseKinds: {
      pglite: 'Innebygd PostgreSQL (PGlite)',
      postgres: 'PostgreSQL',
    },
    schemaVersion: 'Databaseskjema',
    migrationCount: 'Migreringer',
    mode: 'Modus',
    modeDemo: 'Demo (fiktive data)',
    modeProduction: 'Drift',
    serverTime: 'Servertid',
    desktop: 'Skrivebordsprogram',
    browser: 'Nettleser (skrivebordsprogrammet kan ikke starte her)',
    client: 'Klient',
    unavailable: 'Ikke tilgjengelig',
  },
};
