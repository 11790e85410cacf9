import type { RouterInputs, RouterOutputs } from '../../../lib/api-types';

export type LogEvent = RouterOutputs['dpo']['log']['search']['events'][number];
export type LogSearchFilters = Omit<RouterInputs['dpo']['log']['search'], 'cursor' | 'direction' | 'limit' | 'order'>;

/** The action groups the filter offers: the first part of an audit action's name. */
export const LOG_ACTION_GROUPS = ['auth', 'admin', 'patient', 'journal', 'access', 'sharing', 'consultation', 'visit', 'crm', 'portal', 'dpo', 'audit'] as const;
/** The access bases the filter offers (the recorder's `basis` codes). */
export const LOG_BASES = ['treatment_relationship', 'read_share', 'break_glass', 'dsr_case', 'own_data'] as const;
