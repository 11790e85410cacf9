/**
 * Norwegian words for the PDF a patient is handed (DPO-3). The screen translates the same codes in
 * the renderer (i18n `auditAction`, `role`, `profession`, `dpoReport.basis`); the PDF is rendered
 * by the backend, which cannot import the renderer, so it carries its own Bokmål labels for the
 * actions that name a patient. An action without a label is shown by its code, never dropped.
 */
export const ACTION_LABELS: Record<string, string> = {
  'patient.registered': 'Pasient registrert',
  'patient.updated': 'Pasientopplysninger endret',
  'patient.search': 'Pasientsøk',
  'journal.record.opened': 'Journal åpnet',
  'journal.notes.read': 'Journalnotater lest',
  'journal.note.history_read': 'Notathistorikk lest',
  'journal.note.draft_created': 'Notatutkast opprettet',
  'journal.note.draft_saved': 'Notatutkast lagret',
  'journal.note.signed': 'Notat signert',
  'journal.note.amended': 'Notat rettet',
  'journal.note.correction_refused': 'Retting av notat avvist',
  'journal.note.deleted': 'Notat slettet etter slettevedtak',
  'journal.deletions.read': 'Slettevedtak lest',
  'journal.printed': 'Journal skrevet ut',
  'consultation.booked': 'Konsultasjon bestilt',
  'consultation.moved': 'Konsultasjon flyttet',
  'consultation.cancelled': 'Konsultasjon avlyst',
  'consultation.calendar.read': 'Timeliste vist',
  'start.page.read': 'Startside vist',
  'visit.board.read': 'Utrykningstavle vist',
  'visit.booking.read': 'Bestilling vist',
  'visit.booking.patient_linked': 'Bestilling koblet til pasient',
  'visit.exceptions.read': 'Avvik vist',
  'visit.mine.read': 'Mine besøk vist',
  'access.care_team.added': 'Lagt til i behandlingsteam',
  'access.break_glass': 'Nødtilgang («break the glass»)',
  'access.block.set': 'Sperre satt',
  'access.block.lifted': 'Sperre opphevet',
  'sharing.consent.recorded': 'Samtykke registrert',
  'sharing.consent.withdrawn': 'Samtykke trukket tilbake',
  'sharing.share.granted': 'Lesetilgang delt',
  'sharing.share.revoked': 'Deling trukket tilbake',
  'sharing.overview.read': 'Oversikt over deling lest',
  'audit.read.own': 'Egen aktivitet vist',
  'dpo.patient.looked_up': 'Pasient slått opp av personvernombudet',
  'dpo.access_report.read': 'Innsyn i logg vist',
  'dpo.access_report.exported': 'Innsyn i logg skrevet ut som PDF',
  'dpo.case.read': 'Begjæring åpnet',
  'dpo.case.journal_read': 'Journal lest i en begjæring',
  'dpo.case.correction_requested': 'Retting av journalen etterspurt av personvernombudet',
  'dpo.case.objection_registered': 'Innsigelse registrert av personvernombudet',
  'dpo.package.prepared': 'Innsynspakke laget',
  'dpo.package.exported': 'Innsynspakke eksportert',
};

export const ROLE_LABELS: Record<string, string> = {
  clinician: 'Behandler',
  coordinator: 'Koordinator',
  sales: 'Salg',
  dpo: 'Personvernombud',
  admin: 'Administrator',
};

export const PROFESSION_LABELS: Record<string, string> = {
  lege: 'Lege',
  psykolog: 'Psykolog',
  psykolog_i_spesialisering: 'Psykolog i spesialisering',
  sykepleier: 'Sykepleier',
  annet: 'Annet helsepersonell',
};

/** The basis in plain words (the same codes as AccessReportRow.basis). */
export const BASIS_LABELS: Record<string, string> = {
  treatment_relationship: 'Behandlingsforhold',
  read_share: 'Delt lesetilgang (med samtykke)',
  break_glass: 'Nødtilgang',
  dsr_case: 'Begjæring fra den registrerte',
  own_data: 'Egne opplysninger',
  dpo_supervision: 'Personvernombudets kontroll',
  list: 'Vist i et søk eller en liste',
  unspecified: 'Ikke oppgitt',
};

export const BREAK_GLASS_REASON_LABELS: Record<string, string> = {
  emergency_treatment: 'Akutt behandling',
  patient_unconscious: 'Pasienten er bevisstløs eller kan ikke samtykke',
  urgent_referral: 'Hastehenvisning',
  other_urgent: 'Annen akutt situasjon',
};
