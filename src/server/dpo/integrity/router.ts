import { router } from '../../trpc';

/** The audit log's integrity check from the workspace (DPO-8, AUD-4). */
export const dpoIntegrityRouter = router({});
