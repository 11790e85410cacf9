import type { Messages } from '../nb';

/** English. The DPO's workspace (DPO-1…8): the menu and what its tools share. */
export const dpo: Pick<Messages, 'dpo'> = {
  dpo: {
    nav: {
      flags: 'Data protection',
      log: 'Log review',
      'access-report': 'Patient access report',
      cases: 'Data-subject requests',
      retention: 'Retention schedule',
      registers: 'Registers',
      integrity: 'Log integrity',
    },
  },
};
