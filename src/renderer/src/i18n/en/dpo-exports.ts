import type { Messages } from '../nb';

/** English. The DPO: exports of the log and access packages (AUD-5, DPO-5). */
export const dpoExports: Pick<Messages, 'dpoExports'> = {
  dpoExports: {},
};
