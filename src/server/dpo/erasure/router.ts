import { router } from '../../trpc';

/** Erasure, restriction and legal holds for a request (DPO-5). */
export const dpoErasureRouter = router({});
