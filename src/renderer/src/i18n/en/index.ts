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

/** English: the same keys as Bokmål, file by file (each typed as its part of Messages, so the compiler checks parity). */
export const en: Messages = { ...shell, ...auth, ...activity, ...admin, ...journal, ...sharing, ...errors, ...consultations, ...visits, ...retention, ...crm, ...portal };
