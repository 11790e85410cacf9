import type { Messages } from '../nb';

/** English. The DPO: the patient access report and the registers (DPO-3, DPO-7). */
export const dpoReport: Pick<Messages, 'dpoReport'> = {
  dpoReport: {},
};
