import type { CompanyStatus, ContactPurpose, LegalBasis, LegalBasisSource } from '../../shared/crm-schemas';
import { mod11CheckDigit } from '../../shared/national-identity-number';
import { addDays, osloCalendarDate } from '../../shared/oslo-time';
import type { Executor } from '../db/database';

interface DemoCrmPeople {
  organisationId: string;
  /** Sigurd Salg: owns most companies and tasks. */
  salg: string;
  admin: string;
}

/** The corporate contact form's key of the demo: `POST /public/corporate-contact` with `"organisation": "demo"`. */
export const DEMO_CONTACT_FORM_KEY = 'demo';

const DAY_MS = 86_400_000;

/** A made-up organisation number with a valid mod-11 check digit (from 8 leading digits, bumped until one fits). */
function demoOrganisationNumber(head: string): string {
  for (let bump = 0; ; bump++) {
    const candidate = String(Number(head) + bump).padStart(8, '0');
    const check = mod11CheckDigit(Array.from(candidate, Number), [3, 2, 7, 6, 5, 4, 3, 2]);
    if (check !== null) return `${candidate}${check}`;
  }
}

interface DemoBasis {
  purpose: ContactPurpose;
  basis: LegalBasis;
  source: LegalBasisSource;
  evidence: string;
  daysAgo: number;
  reviewInDays: number | null;
  /** A later record superseding this one: the withdrawal or the objection. */
  then?: { state: 'withdrawn' | 'objected'; source: LegalBasisSource; evidence: string; daysAgo: number };
}

interface DemoContact {
  fullName: string;
  jobTitle: string;
  email: string;
  phone: string | null;
  source: 'contact_form' | 'public_sources' | 'customer' | 'manual';
  daysAgo: number;
  bases: DemoBasis[];
}

interface DemoCompany {
  name: string;
  headDigits: string;
  street: string | null;
  postcode: string | null;
  city: string;
  industry: string;
  source: 'contact_form' | 'public_sources' | 'manual';
  owner: 'salg' | 'admin' | null;
  /** The status history: each status and how many days ago the company entered it (the first is its registration). */
  history: { status: CompanyStatus; daysAgo: number }[];
  contacts: DemoContact[];
  activities: { kind: 'call' | 'email' | 'meeting' | 'note' | 'web_form'; contact: number | null; purpose: ContactPurpose | null; summary: string; daysAgo: number }[];
  tasks: { title: string; dueInDays: number; contact: number | null; owner: 'salg' | 'admin'; isDone?: boolean }[];
}

const FORM_CONSENT_TEXT =
  'Jeg samtykker i at Demoklinikken AS lagrer navn, stilling, e-post og telefon for å følge opp henvendelsen min, og sender meg nyhetsbrev. Samtykket kan trekkes når som helst.';

/**
 * CRM-1…3 demo data, relative to the moment of seeding: companies in every status with their
 * history spread over the last year (the pipeline chart has moves), contacts on each legal basis —
 * one who withdrew consent, one who objected to direct marketing — activities, and Sigurd Salg's
 * tasks, some overdue. Every name, number and address is made up.
 */
const DEMO_COMPANIES: DemoCompany[] = [
  {
    name: 'Fjellheim Bygg AS',
    headDigits: '91234560',
    street: 'Sagveien 23',
    postcode: '0459',
    city: 'Oslo',
    industry: 'Bygg og anlegg',
    source: 'manual',
    owner: 'salg',
    history: [
      { status: 'lead', daysAgo: 240 },
      { status: 'prospect', daysAgo: 150 },
      { status: 'customer', daysAgo: 60 },
    ],
    contacts: [
      {
        fullName: 'Marte Fjellheim',
        jobTitle: 'HR-sjef',
        email: 'marte.fjellheim@fjellheim-bygg.example',
        phone: '+4791112233',
        source: 'customer',
        daysAgo: 240,
        bases: [
          { purpose: 'account_follow_up', basis: 'contract', source: 'agreement', evidence: 'Avtale om bedriftshelsetjeneste FB-2026-01', daysAgo: 60, reviewInDays: null },
          { purpose: 'newsletter', basis: 'consent', source: 'email', evidence: 'Svarte «ja takk» på e-post om nyhetsbrevet', daysAgo: 55, reviewInDays: 675 },
        ],
      },
      {
        fullName: 'Jonas Berg',
        jobTitle: 'Daglig leder',
        email: 'jonas.berg@fjellheim-bygg.example',
        phone: '+4792223344',
        source: 'customer',
        daysAgo: 150,
        bases: [{ purpose: 'account_follow_up', basis: 'contract', source: 'agreement', evidence: 'Avtale om bedriftshelsetjeneste FB-2026-01', daysAgo: 60, reviewInDays: null }],
      },
    ],
    activities: [
      { kind: 'meeting', contact: 0, purpose: 'account_follow_up', summary: 'Oppstartsmøte for avtalen. Gikk gjennom rutiner for timebestilling.', daysAgo: 58 },
      { kind: 'call', contact: 1, purpose: 'account_follow_up', summary: 'Kvartalsvis oppfølging: fornøyd, ønsker vaksinasjonsdag i februar.', daysAgo: 12 },
    ],
    tasks: [
      { title: 'Sende forslag til vaksinasjonsdag', dueInDays: -3, contact: 1, owner: 'salg' },
      { title: 'Planlegge årsmøte for avtalen', dueInDays: 21, contact: 0, owner: 'salg' },
      { title: 'Sende referat fra oppstartsmøtet', dueInDays: -22, contact: 0, owner: 'salg', isDone: true },
    ],
  },
  {
    name: 'Nordlys Regnskap AS',
    headDigits: '92345670',
    street: 'Storgata 88',
    postcode: '9008',
    city: 'Tromsø',
    industry: 'Regnskap',
    source: 'public_sources',
    owner: 'salg',
    history: [
      { status: 'lead', daysAgo: 95 },
      { status: 'prospect', daysAgo: 30 },
    ],
    contacts: [
      {
        fullName: 'Ingrid Nilsen',
        jobTitle: 'Økonomisjef',
        email: 'ingrid.nilsen@nordlys-regnskap.example',
        phone: '+4793334455',
        source: 'public_sources',
        daysAgo: 95,
        bases: [
          { purpose: 'direct_sales', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Oppført som økonomisjef på selskapets nettside og i Proff', daysAgo: 95, reviewInDays: 270 },
          { purpose: 'event_invitations', basis: 'legitimate_interest', source: 'public_sources', evidence: 'Oppført som økonomisjef på selskapets nettside og i Proff', daysAgo: 95, reviewInDays: 270 },
        ],
      },
    ],
    activities: [
      { kind: 'email', contact: 0, purpose: 'direct_sales', summary: 'Sendte presentasjon av bedriftshelsetjenesten.', daysAgo: 40 },
      { kind: 'meeting', contact: 0, purpose: 'direct_sales', summary: 'Teams-møte: 25 ansatte, interessert i psykolog og fysioterapi.', daysAgo: 30 },
    ],
    tasks: [{ title: 'Sende tilbud på avtale', dueInDays: 0, contact: 0, owner: 'salg' }],
  },
  {
    name: 'Havbris Sjømat AS',
    headDigits: '93456780',
    street: null,
    postcode: null,
    city: 'Bergen',
    industry: 'Sjømat',
    source: 'contact_form',
    owner: null,
    history: [{ status: 'lead', daysAgo: 5 }],
    contacts: [
      {
        fullName: 'Ola Havbris',
        jobTitle: 'Personalleder',
        email: 'ola@havbris.example',
        phone: '+4794445566',
        source: 'contact_form',
        daysAgo: 5,
        bases: [
          { purpose: 'account_follow_up', basis: 'consent', source: 'contact_form', evidence: FORM_CONSENT_TEXT, daysAgo: 5, reviewInDays: 725 },
          { purpose: 'newsletter', basis: 'consent', source: 'contact_form', evidence: FORM_CONSENT_TEXT, daysAgo: 5, reviewInDays: 725 },
        ],
      },
    ],
    activities: [{ kind: 'web_form', contact: 0, purpose: null, summary: 'Vi er 60 ansatte og ønsker et tilbud på bedriftshelsetjeneste fra neste år.', daysAgo: 5 }],
    tasks: [{ title: 'Ringe Ola Havbris om henvendelsen', dueInDays: -1, contact: 0, owner: 'salg' }],
  },
  {
    name: 'Sentrum Eiendom AS',
    headDigits: '94567890',
    street: 'Kongens gate 4',
    postcode: '0153',
    city: 'Oslo',
    industry: 'Eiendom',
    source: 'manual',
    owner: 'admin',
    history: [
      { status: 'lead', daysAgo: 330 },
      { status: 'customer', daysAgo: 300 },
      { status: 'former', daysAgo: 20 },
    ],
    contacts: [
      {
        fullName: 'Trude Sentrum',
        jobTitle: 'Kontorsjef',
        email: 'trude@sentrum-eiendom.example',
        phone: null,
        source: 'manual',
        daysAgo: 330,
        bases: [
          {
            purpose: 'newsletter',
            basis: 'consent',
            source: 'meeting',
            evidence: 'Sa ja til nyhetsbrev i møte',
            daysAgo: 300,
            reviewInDays: 430,
            then: { state: 'withdrawn', source: 'email', evidence: 'Ba på e-post om å slippe nyhetsbrevet', daysAgo: 15 },
          },
        ],
      },
    ],
    activities: [{ kind: 'note', contact: null, purpose: null, summary: 'Avtalen sagt opp: flyttet til en leverandør med kontor i Drammen.', daysAgo: 20 }],
    tasks: [],
  },
  {
    name: 'Grønn Logistikk AS',
    headDigits: '95678900',
    street: 'Havnegata 2',
    postcode: '3015',
    city: 'Drammen',
    industry: 'Transport og lager',
    source: 'public_sources',
    owner: 'salg',
    history: [{ status: 'lead', daysAgo: 45 }],
    contacts: [
      {
        fullName: 'Per Grønn',
        jobTitle: 'Driftssjef',
        email: 'per.gronn@gronn-logistikk.example',
        phone: '+4795556677',
        source: 'public_sources',
        daysAgo: 45,
        bases: [
          {
            purpose: 'direct_sales',
            basis: 'legitimate_interest',
            source: 'public_sources',
            evidence: 'Oppført som driftssjef i Brønnøysundregistrene',
            daysAgo: 45,
            reviewInDays: 320,
            then: { state: 'objected', source: 'phone', evidence: 'Sa i telefonen at han ikke vil bli kontaktet om salg', daysAgo: 10 },
          },
        ],
      },
    ],
    activities: [{ kind: 'call', contact: 0, purpose: 'direct_sales', summary: 'Første samtale: ikke interessert, ba om ikke å bli ringt igjen.', daysAgo: 10 }],
    tasks: [],
  },
  {
    name: 'Kystverft Industri AS',
    headDigits: '96789010',
    street: 'Verftsvegen 10',
    postcode: '6004',
    city: 'Ålesund',
    industry: 'Industri',
    source: 'manual',
    owner: 'admin',
    history: [
      { status: 'lead', daysAgo: 130 },
      { status: 'prospect', daysAgo: 70 },
    ],
    contacts: [
      {
        fullName: 'Siv Kyst',
        jobTitle: 'HMS-leder',
        email: 'siv.kyst@kystverft.example',
        phone: '+4796667788',
        source: 'manual',
        daysAgo: 130,
        bases: [
          { purpose: 'direct_sales', basis: 'legitimate_interest', source: 'other', evidence: 'Møttes på HMS-konferansen, ba om informasjon', daysAgo: 130, reviewInDays: 235 },
          { purpose: 'event_invitations', basis: 'consent', source: 'meeting', evidence: 'Ønsket invitasjon til frokostseminar', daysAgo: 130, reviewInDays: 600 },
        ],
      },
    ],
    activities: [{ kind: 'meeting', contact: 0, purpose: 'direct_sales', summary: 'Befaring på verftet; behov for arbeidsmiljøkartlegging.', daysAgo: 70 }],
    tasks: [
      { title: 'Følge opp kartleggingstilbudet', dueInDays: -7, contact: 0, owner: 'salg' },
      { title: 'Invitere til frokostseminar', dueInDays: 14, contact: 0, owner: 'admin' },
    ],
  },
];

export async function seedDemoCrm(trx: Executor, people: DemoCrmPeople, now: Date): Promise<void> {
  const organisationId = people.organisationId;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY_MS);
  const today = osloCalendarDate(now);
  const ownerOf = (owner: 'salg' | 'admin' | null) => (owner === null ? null : people[owner]);
  await trx.updateTable('organisation').set({ contact_form_key: DEMO_CONTACT_FORM_KEY }).where('id', '=', organisationId).execute();

  for (const demo of DEMO_COMPANIES) {
    const first = demo.history[0]!;
    const last = demo.history.at(-1)!;
    const company = await trx
      .insertInto('company')
      .values({
        organisation_id: organisationId,
        name: demo.name,
        organisation_number: demoOrganisationNumber(demo.headDigits),
        street: demo.street,
        postcode: demo.postcode,
        city: demo.city,
        industry: demo.industry,
        status: last.status,
        status_changed_at: at(last.daysAgo),
        source: demo.source,
        owner_id: ownerOf(demo.owner),
        version: demo.history.length,
        created_at: at(first.daysAgo),
        created_by: demo.source === 'contact_form' ? null : people.salg,
        updated_at: at(last.daysAgo),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('company_status_change')
      .values(
        demo.history.map((step, index) => ({
          organisation_id: organisationId,
          company_id: company.id,
          from_status: index === 0 ? null : demo.history[index - 1]!.status,
          to_status: step.status,
          changed_by: demo.source === 'contact_form' && index === 0 ? null : people.salg,
          changed_at: at(step.daysAgo),
        })),
      )
      .execute();

    const contactIds: string[] = [];
    for (const demoContact of demo.contacts) {
      const contact = await trx
        .insertInto('crm_contact')
        .values({
          organisation_id: organisationId,
          company_id: company.id,
          full_name: demoContact.fullName,
          job_title: demoContact.jobTitle,
          email: demoContact.email,
          phone: demoContact.phone,
          source: demoContact.source,
          created_at: at(demoContact.daysAgo),
          created_by: demoContact.source === 'contact_form' ? null : people.salg,
          updated_at: at(demoContact.daysAgo),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      contactIds.push(contact.id);
      for (const basis of demoContact.bases) {
        const recordedBy = basis.source === 'contact_form' ? null : people.salg;
        const record = await trx
          .insertInto('contact_legal_basis')
          .values({
            organisation_id: organisationId,
            contact_id: contact.id,
            purpose: basis.purpose,
            basis: basis.basis,
            state: 'active',
            source: basis.source,
            evidence: basis.evidence,
            review_on: basis.reviewInDays === null ? null : addDays(today, basis.reviewInDays),
            recorded_at: at(basis.daysAgo),
            recorded_by: recordedBy,
            supersedes_id: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        if (basis.then) {
          await trx
            .insertInto('contact_legal_basis')
            .values({
              organisation_id: organisationId,
              contact_id: contact.id,
              purpose: basis.purpose,
              basis: basis.basis,
              state: basis.then.state,
              source: basis.then.source,
              evidence: basis.then.evidence,
              review_on: null,
              recorded_at: at(basis.then.daysAgo),
              recorded_by: people.salg,
              supersedes_id: record.id,
            })
            .execute();
        }
      }
      // CRM-2, art. 21(3): the objection covers every direct-marketing purpose, as recordObjection records it.
      const objection = demoContact.bases.find((basis) => basis.then?.state === 'objected')?.then;
      if (objection) {
        for (const purpose of ['newsletter', 'event_invitations'] as const) {
          if (demoContact.bases.some((basis) => basis.purpose === purpose)) continue;
          await trx
            .insertInto('contact_legal_basis')
            .values({
              organisation_id: organisationId,
              contact_id: contact.id,
              purpose,
              basis: 'legitimate_interest',
              state: 'objected',
              source: objection.source,
              evidence: objection.evidence,
              review_on: null,
              recorded_at: at(objection.daysAgo),
              recorded_by: people.salg,
              supersedes_id: null,
            })
            .execute();
        }
      }
    }

    if (demo.activities.length > 0) {
      await trx
        .insertInto('crm_activity')
        .values(
          demo.activities.map((activity) => ({
            organisation_id: organisationId,
            company_id: company.id,
            contact_id: activity.contact === null ? null : contactIds[activity.contact]!,
            kind: activity.kind,
            purpose: activity.purpose,
            summary: activity.summary,
            occurred_at: at(activity.daysAgo),
            created_by: activity.kind === 'web_form' ? null : people.salg,
            created_at: at(activity.daysAgo),
          })),
        )
        .execute();
    }
    for (const task of demo.tasks) {
      await trx
        .insertInto('crm_task')
        .values({
          organisation_id: organisationId,
          company_id: company.id,
          contact_id: task.contact === null ? null : contactIds[task.contact]!,
          title: task.title,
          due_on: addDays(today, task.dueInDays),
          owner_id: people[task.owner],
          done_at: task.isDone ? at(-task.dueInDays - 1) : null,
          done_by: task.isDone ? people[task.owner] : null,
          version: task.isDone ? 2 : 1,
          created_by: people.salg,
          created_at: at(Math.max(1, -task.dueInDays + 7)),
          updated_at: at(1),
        })
        .execute();
    }
  }
}
