import { router } from '../trpc';

/** Corporate CRM (CRM-1…3, CRM-5): companies, contacts and their legal bases, activities, tasks, pipeline. */
export const crmRouter = router({});
