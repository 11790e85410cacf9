import { router } from '../../trpc';

/** Log review (DPO-1): search, context, reviewed marks. */
export const dpoLogRouter = router({});
