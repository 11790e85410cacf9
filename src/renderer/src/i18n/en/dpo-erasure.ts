import type { Messages } from '../nb';

/** English. The DPO: erasure, restriction, legal holds and the retention schedule (DPO-5, DPO-6). */
export const dpoErasure: Pick<Messages, 'dpoErasure'> = {
  dpoErasure: {},
};
