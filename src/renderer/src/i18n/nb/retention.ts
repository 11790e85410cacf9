/** Norsk bokmål. Sletting og anonymisering etter plan (VIS-4, DPO-6): kategoriene personvernombudets prøvekjøring viser. */
export const retention = {
  retention: {
    category: {
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
