/** Norsk bokmål. Sletting og anonymisering etter plan (VIS-4, DPO-6): kategoriene personvernombudets prøvekjøring viser. */
export const retention = {
  retention: {
    category: {
      crmCorrespondence: {
        description: 'Teksten i e-poster og meldinger fra kontaktskjemaet i CRM slettes ett år etter at de ble sendt. Hos en kunde beholdes de så lenge kundeforholdet varer, og til ett år etter at det ble avsluttet.',
        keepsFact: 'At henvendelsen fant sted, når, med hvilken bedrift og kontaktperson og hvem som registrerte den, beholdes uten teksten: bedriftens historikk henger sammen, og kontaktpersonens egen slettefrist endres ikke.',
        keepsCustomer: 'Korrespondanse med en nåværende kunde beholdes så lenge kundeforholdet varer. Samtaler, møter og notater er ikke korrespondanse og berøres ikke.',
      },
      inactiveAccount: {
        description: 'En brukerkonto uten innlogging på fire år (eller siden den ble opprettet) varsles på e-post. Er det fortsatt ingen innlogging seks måneder etter varselet, anonymiseres kontoen. En innlogging opphever varselet.',
        keepsId: 'Kontoens id beholdes, så loggen fortsatt viser hvem som gjorde hva; loggen selv endres ikke.',
        keepsAuthor: 'Har kontoen skrevet eller signert i en journal, beholdes navn, yrke og HPR-nummer: journalen skal vise hvem som skrev (helsepersonelloven § 40). E-post, telefon, fødselsnummer og innlogging fjernes likevel.',
        keepsRoles: 'Rollehistorikken beholdes som dokumentasjon på hvem som hadde hvilke tilganger.',
        keptDpo: 'personvernombud (fjern rollen først om personen har sluttet)',
        keptLastAdmin: 'siste aktive administrator i virksomheten',
      },
      crmLeadContact: {
        description: 'Kontaktpersoner hos leads, prospekter og tidligere kunder slettes et fastsatt antall dager (standard 365) etter siste aktivitet, eller etter registreringen når det ikke finnes noen. Behandlingsgrunnlag, aktiviteter og oppgaver slettes sammen med dem.',
        keepsCompany: 'Bedriften beholdes: den er en virksomhet, ikke en person.',
        keepsHistory: 'Bedriftens statushistorikk og aktiviteter som ikke gjelder en kontaktperson, beholdes.',
      },
      portalEmployee: {
        description: 'Ansatte i en bedriftsavtale (navn, kontaktopplysninger, fødselsnummer) slettes et fastsatt antall dager (standard 30) etter at avtalen er avsluttet.',
        keepsAgreement: 'Selve avtalen (periode og tjenester) beholdes som del av kundeforholdet; den har ingen opplysninger om de ansatte.',
      },
      visitBooking: {
        description: 'Personopplysninger i bestillinger av hjemmebesøk anonymiseres et fastsatt antall dager (standard 7) etter at besøket er avsluttet eller avlyst.',
        keepsOperational: 'Status, tidspunkter, lege, sone, hastegrad og kilde beholdes uten personopplysninger, for statistikk og drift.',
        keepsTimeline: 'Tidslinjen over statusendringer beholdes: den har bare koder, ingen personopplysninger.',
        keepsPatientLink: 'Koblingen til pasienten og journalnotatet beholdes: journalen er pasientens journal og oppbevares etter helsepersonelloven.',
      },
    },
  },
};
