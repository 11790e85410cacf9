import type { RouterOutputs as Outputs } from '../../lib/api-types';

export type OpenedRecord = Outputs['journal']['open'];
export type PatientDetails = OpenedRecord['patient'];
export type AccessBasis = OpenedRecord['basis'];
/** JRN-4, DPO-4: a correction of the journal the DPO asks for (a rectification request), open until answered. */
export type CorrectionRequest = OpenedRecord['correctionRequests'][number];
export type NoteSummary = Outputs['journal']['notes']['notes'][number];
/** A page of notes: the first comes with journal.open, the next ones from journal.notes. */
export type NotesPage = Outputs['journal']['notes'];
export type NoteCursor = NonNullable<Outputs['journal']['notes']['next']>;
export type NoteHistory = Outputs['journal']['history'];
export type PatientSummary = Outputs['patients']['search'][number];
export type SharingOverview = Outputs['sharing']['overview'];
export type Colleague = Outputs['access']['colleagues'][number];
