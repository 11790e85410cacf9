import type { Messages } from '../nb';
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

/** English: the same keys as Bokmål, file by file (each typed as its part of Messages, so the compiler checks parity). */
export const en: Messages = { ...shell, ...auth, ...activity, ...admin, ...journal, ...sharing, ...errors, ...consultations, ...visits, ...retention, ...crm,
  ...portal,
  ...dpo,
  ...dpoLog,
  ...dpoFlags,
  ...dpoReport,
  ...dpoCases,
  ...dpoErasure,
  ...dpoExports,
};
