import type { Messages } from '../nb';

/** English. The DPO: flags for retrospective control (DPO-2). */
export const dpoFlags: Pick<Messages, 'dpoFlags'> = {
  dpoFlags: {},
};
