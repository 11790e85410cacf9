import { router } from '../../trpc';

/** The patient access report (DPO-3). */
export const dpoAccessReportRouter = router({});
