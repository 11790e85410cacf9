import type { Executor } from '../db/database';

/**
 * The demo organisation's registers (DPO-7), written from what the seeds' privacy statements
 * describe (../shared/seeds: Dr.Dropin, Flokki, Konfidens, Dignio, Legevisitt) and narrowed to what
 * this product actually does: the journal, consultations, home visits, the corporate CRM and
 * portal, user accounts and logins, the audit log, and data-subject requests. Processors are the
 * kinds those statements name: servers in Europe (Azure, as Legevisitt), SMS (Link Mobility, as
 * Flokki; GatewayAPI, as Konfidens) and e-mail without health data.
 */
const PROCESSORS = [
  {
    key: 'hosting',
    name: 'Microsoft Ireland Operations Ltd (Azure)',
    service: 'Drift av servere og database for journal, bestillinger og logg. Serverne står i Europa; leverandøren har ikke tilgang til innholdet.',
    country: 'IE',
    agreement_date: '2025-01-15',
    contact: 'Databehandleravtale via Microsoft Online Services DPA',
  },
  {
    key: 'sms',
    name: 'Link Mobility AS',
    service: 'SMS-utsending: engangskoder ved innlogging og invitasjon, og bekreftelse av bestilt hjemmebesøk (uten helseopplysninger).',
    country: 'NO',
    agreement_date: '2025-02-01',
    contact: 'personvern@linkmobility.example',
  },
  {
    key: 'email',
    name: 'E-postleverandør (transaksjonell e-post)',
    service: 'E-post med invitasjoner og varsler. E-postene inneholder aldri helseopplysninger.',
    country: 'DK',
    agreement_date: '2025-03-10',
    contact: 'dpo@epost-leverandor.example',
  },
] as const;

type ProcessorKey = (typeof PROCESSORS)[number]['key'];

const ACTIVITIES: readonly {
  name: string;
  purpose: string;
  legal_bases: string[];
  legal_basis_law: string;
  data_categories: string;
  data_subjects: string;
  retention: string;
  recipients: string | null;
  security_measures: string;
  processors: ProcessorKey[];
}[] = [
  {
    name: 'Pasientjournal og helsehjelp',
    purpose: 'Dokumentere helsehjelpen pasienten får, slik loven krever, og gi behandlerne opplysningene de trenger.',
    legal_bases: ['gdpr_6_1_c', 'gdpr_9_2_h'],
    legal_basis_law: 'Helsepersonelloven §§ 39–40, pasientjournalloven og pasientjournalforskriften',
    data_categories: 'Navn, fødselsnummer, kontaktopplysninger, pårørende, journalnotater og andre helseopplysninger',
    data_subjects: 'Pasienter og deres pårørende',
    retention: 'Journalen oppbevares etter pasientjournalforskriften og helsearkivloven; retting og sletting bare etter helsepersonelloven §§ 42–44.',
    recipients: 'Annet helsepersonell med tjenstlig behov, eller med pasientens samtykke (deling av lesetilgang)',
    security_measures: 'Tofaktorinnlogging, tilgang bare ved tjenstlig behov, nødtilgang med begrunnelse og kontroll, sperring, logg over alle oppslag',
    processors: ['hosting'],
  },
  {
    name: 'Timebestilling og konsultasjoner',
    purpose: 'Avtale og gjennomføre konsultasjoner, og vise behandlerne timelisten sin.',
    legal_bases: ['gdpr_6_1_b', 'gdpr_9_2_h'],
    legal_basis_law: 'Pasient- og brukerrettighetsloven; helsepersonelloven § 39',
    data_categories: 'Navn, kontaktopplysninger, tidspunkt og type konsultasjon',
    data_subjects: 'Pasienter',
    retention: 'Som journalen når timen er dokumentert; avlyste timer uten journalnotat slettes etter ett år.',
    recipients: null,
    security_measures: 'Tilgangsstyring per rolle, logg over hvem som har sett pasienten i timelisten',
    processors: ['hosting', 'sms'],
  },
  {
    name: 'Bestilling og utrykning av hjemmebesøk',
    purpose: 'Ta imot bestillinger av hjemmebesøk (nettskjema og telefon), fordele dem til leger og følge besøket fram til det er utført.',
    legal_bases: ['gdpr_6_1_b', 'gdpr_9_2_h'],
    legal_basis_law: 'Helsepersonelloven § 39 for det som dokumenteres i journalen',
    data_categories: 'Navn, adresse, telefon, fødselsdato, kjønn, årsak til besøket',
    data_subjects: 'Personer som bestiller hjemmebesøk, og pasientene besøket gjelder',
    retention: 'Personopplysningene i bestillingen anonymiseres 7 dager etter besøket (eller avlysningen); det som dokumenteres, står i journalen.',
    recipients: 'Legen som får oppdraget (varsles uten personopplysninger)',
    security_measures: 'Varsler uten personopplysninger, automatisk anonymisering, logg over utrykningstavlen',
    processors: ['hosting', 'sms'],
  },
  {
    name: 'Bedriftskunder, kontaktpersoner og salg',
    purpose: 'Følge opp bedriftskunder og leads, og sende nyhetsbrev og invitasjoner til dem som har samtykket.',
    legal_bases: ['gdpr_6_1_a', 'gdpr_6_1_b', 'gdpr_6_1_f'],
    legal_basis_law: 'Markedsføringsloven § 15 for elektronisk markedsføring',
    data_categories: 'Navn, stilling, e-post og telefon hos kontaktpersoner; aktiviteter og oppgaver; behandlingsgrunnlag per formål',
    data_subjects: 'Kontaktpersoner hos bedriftskunder og leads',
    retention: 'Kontaktpersoner hos leads og tidligere kunder slettes 365 dager etter siste aktivitet (kan endres i sletteplanen).',
    recipients: null,
    security_measures: 'Bare salg og administrator har tilgang; ingen kobling til pasientdata; samtykke og protest registreres per formål',
    processors: ['hosting', 'email'],
  },
  {
    name: 'Bedriftsportal: ansatte i bedriftsavtaler',
    purpose: 'Gi ansatte hos bedriftskunder tjenestene avtalen omfatter (for eksempel bedriftshelsetjeneste).',
    legal_bases: ['gdpr_6_1_b', 'gdpr_6_1_f'],
    legal_basis_law: 'Avtalen med arbeidsgiveren',
    data_categories: 'Navn, kontaktopplysninger og fødselsnummer (kryptert, vist maskert)',
    data_subjects: 'Ansatte hos bedriftskunder',
    retention: 'Slettes 30 dager etter at bedriftsavtalen er avsluttet (kan endres i sletteplanen).',
    recipients: null,
    security_measures: 'Fødselsnummer kryptert med nøkkel utenfor databasen, søk med nøkkelhash, import med kontroll',
    processors: ['hosting'],
  },
  {
    name: 'Brukerkontoer og innlogging',
    purpose: 'Gi ansatte sikker tilgang: invitasjon, innlogging med tofaktor, økter og enheter.',
    legal_bases: ['gdpr_6_1_b', 'gdpr_6_1_c'],
    legal_basis_law: 'Pasientjournalloven § 22 (informasjonssikkerhet) og Normen',
    data_categories: 'Navn, e-post, telefon, yrke, HPR-nummer, roller, innloggingshistorikk og enheter',
    data_subjects: 'Ansatte og innleid helsepersonell',
    retention: 'Kontoer uten innlogging på 4 år varsles og anonymiseres 6 måneder senere.',
    recipients: null,
    security_measures: 'Passord med Argon2, tofaktor (app eller SMS-kode ved invitasjon), låsing etter mislykkede forsøk, idle-lås',
    processors: ['hosting', 'sms', 'email'],
  },
  {
    name: 'Logg over bruk (tilgangslogg)',
    purpose: 'Kunne etterprøve hvem som har sett og gjort hva i journalen og systemet, gi pasienter innsyn i loggen og avdekke urettmessige oppslag.',
    legal_bases: ['gdpr_6_1_c', 'gdpr_9_2_h'],
    legal_basis_law: 'Pasientjournalloven §§ 22–23, pasient- og brukerrettighetsloven § 5-1 og Normen',
    data_categories: 'Bruker, rolle, tidspunkt, handling, pasientens id og grunnlaget for tilgangen; IP-adresse ved utskrift og eksport',
    data_subjects: 'Ansatte og pasienter',
    retention: 'Logghendelser oppbevares i 10 år. Loggen kan ikke endres eller slettes og er sikret med en hash-kjede.',
    recipients: 'Pasienten selv (innsyn i logg)',
    security_measures: 'Kun tilføyelse, forseglet med hash-kjede og kontrollert fra personvernombudets arbeidsflate',
    processors: ['hosting'],
  },
  {
    name: 'Begjæringer fra registrerte (innsyn, retting, sletting …)',
    purpose: 'Behandle begjæringer om innsyn, retting, sletting, begrensning, protest og dataportabilitet innen fristen.',
    legal_bases: ['gdpr_6_1_c'],
    legal_basis_law: 'Personvernforordningen artikkel 12–22 og personopplysningsloven',
    data_categories: 'Navn, kontaktopplysninger, fødselsnummer (kryptert), hvordan identiteten er bekreftet, saksgang og svar',
    data_subjects: 'Personer som fremmer en begjæring',
    retention: 'Saken oppbevares i 5 år etter at den er avsluttet, for å kunne dokumentere at plikten er oppfylt.',
    recipients: null,
    security_measures: 'Bare personvernombudet har tilgang; journalinnhold ses bare innenfor saken, og det logges',
    processors: ['hosting', 'email'],
  },
];

/** DPO-7: seeds both registers once (a restart seeds nothing twice: only when the organisation has none). */
export async function seedDemoRegisters(trx: Executor, people: { organisationId: string; dpo: string }, now: Date): Promise<void> {
  const existing = await trx.selectFrom('data_processor').select('id').where('organisation_id', '=', people.organisationId).limit(1).executeTakeFirst();
  if (existing) return;
  const processorIds = new Map<ProcessorKey, string>();
  for (const { key, ...processor } of PROCESSORS) {
    const row = await trx
      .insertInto('data_processor')
      .values({ organisation_id: people.organisationId, ...processor, transfer_basis: null, created_at: now, updated_at: now, updated_by: people.dpo })
      .returning('id')
      .executeTakeFirstOrThrow();
    processorIds.set(key, row.id);
  }
  for (const { processors, ...activity } of ACTIVITIES) {
    const row = await trx
      .insertInto('processing_activity')
      .values({ organisation_id: people.organisationId, ...activity, created_at: now, updated_at: now, updated_by: people.dpo })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('processing_activity_processor')
      .values(processors.map((key) => ({ organisation_id: people.organisationId, activity_id: row.id, processor_id: processorIds.get(key) as string })))
      .execute();
  }
}
