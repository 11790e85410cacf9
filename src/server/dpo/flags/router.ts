import { router } from '../../trpc';

/** Flags for retrospective control (DPO-2). */
export const dpoFlagsRouter = router({});
