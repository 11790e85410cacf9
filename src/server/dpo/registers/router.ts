import { router } from '../../trpc';

/** Registers of processing activities and processors (DPO-7). */
export const dpoRegistersRouter = router({});
