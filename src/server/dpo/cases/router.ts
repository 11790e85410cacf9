import { router } from '../../trpc';

/** Data-subject requests (DPO-4). */
export const dpoCasesRouter = router({});
