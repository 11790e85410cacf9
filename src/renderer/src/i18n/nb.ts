/** Norsk bokmål: the default language (PLAT-4) and the catalogue every other one must match. */
export const nb = {
  app: {
    name: 'Journalkontor',
    skipToContent: 'Hopp til innhold',
    demoBadge: 'Demo',
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
    visits: 'Hjemmebesøk',
    crm: 'Bedriftskunder',
    dpo: 'Personvern',
    admin: 'Administrasjon',
    status: 'Systemstatus',
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
    visits: {
      title: 'Hjemmebesøk',
      description: 'Bestillinger og utsendelse av leger på hjemmebesøk.',
    },
    crm: {
      title: 'Bedriftskunder',
      description: 'Bedrifter, kontaktpersoner, aktiviteter og bedriftsportal.',
    },
    dpo: {
      title: 'Personvern',
      description: 'Gjennomgang av tilgangslogg, innsyn og henvendelser fra registrerte.',
    },
    admin: {
      title: 'Administrasjon',
      description: 'Brukere, roller, invitasjoner og innstillinger.',
    },
    notYetAvailable: 'Denne arbeidsflaten åpnes når innlogging med to faktorer er på plass.',
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
  error: {
    validation: 'Noen felt er ikke fylt ut riktig.',
    internal: 'Noe gikk galt på serveren. Prøv igjen, eller kontakt brukerstøtte.',
    network: 'Får ikke kontakt med serveren.',
  },
  validation: {
    field: 'Feltet «{{field}}»',
    invalid_type: '{{field}} har feil type.',
    too_small: '{{field}} er for kort eller for lite (minst {{limit}}).',
    too_big: '{{field}} er for langt eller for stort (høyst {{limit}}).',
    invalid_format: '{{field}} har feil format.',
    invalid_value: '{{field}} har en ugyldig verdi.',
    unrecognized_keys: 'Forespørselen har felt som ikke hører hjemme der.',
    custom: '{{field}} er ugyldig.',
    required: '{{field}} må fylles ut.',
    nationalIdentityNumber: {
      format: '{{field}} må ha 11 siffer.',
      date: '{{field}} inneholder ingen gyldig dato.',
      checksum: '{{field}} har feil kontrollsiffer.',
      synthetic_not_allowed: '{{field}} er et syntetisk testnummer, som bare godtas i demo.',
    },
    organisationNumber: {
      format: '{{field}} må ha 9 siffer og begynne med 8 eller 9.',
      checksum: '{{field}} har feil kontrollsiffer.',
    },
  },
};

/** The shape every catalogue has: the same keys, any strings. */
type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
export type Messages = Catalogue<typeof nb>;
