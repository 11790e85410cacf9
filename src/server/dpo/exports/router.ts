import { router } from '../../trpc';

/** Exports of the log (AUD-5) and a request's access package (DPO-5). */
export const dpoExportsRouter = router({});
