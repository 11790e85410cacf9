import type { Messages } from '../nb';

/** English. The DPO: log review and integrity (DPO-1, DPO-8). */
export const dpoLog: Pick<Messages, 'dpoLog'> = {
  dpoLog: {},
};
