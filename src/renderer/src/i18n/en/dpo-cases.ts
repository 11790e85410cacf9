import type { Messages } from '../nb';

/** English. The DPO: data-subject requests (DPO-4). */
export const dpoCases: Pick<Messages, 'dpoCases'> = {
  dpoCases: {},
};
