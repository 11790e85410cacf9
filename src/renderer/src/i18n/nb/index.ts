import { shell } from './shell';
import { auth } from './auth';
import { activity } from './activity';
import { admin } from './admin';
import { journal } from './journal';
import { sharing } from './sharing';
import { errors } from './errors';
import { consultations } from './consultations';
import { visits } from './visits';
import { retention } from './retention';
import { crm } from './crm';
import { portal } from './portal';
import { dpo } from './dpo';
import { dpoLog } from './dpo-log';
import { dpoFlags } from './dpo-flags';
import { dpoReport } from './dpo-report';
import { dpoCases } from './dpo-cases';
import { dpoErasure } from './dpo-erasure';
import { dpoExports } from './dpo-exports';

/**
 * Norsk bokmål: the default language (PLAT-4) and the catalogue every other one must match. One
 * file per feature; the keys keep their place (`journal.…`, `validation.…`), so `t()` calls do not
 * change when a file is split.
 */
export const nb = { ...shell, ...auth, ...activity, ...admin, ...journal, ...sharing, ...errors, ...consultations, ...visits, ...retention, ...crm,
  ...portal,
  ...dpo,
  ...dpoLog,
  ...dpoFlags,
  ...dpoReport,
  ...dpoCases,
  ...dpoErasure,
  ...dpoExports,
};

/** The shape every catalogue has: the same keys, any strings. */
type Catalogue<T> = { [K in keyof T]: T[K] extends string ? string : Catalogue<T[K]> };
export type Messages = Catalogue<typeof nb>;
