import { router } from '../trpc';

/** The corporate portal (CRM-4): a customer's agreement and the employees it covers, and their import. */
export const portalRouter = router({});
