import { router } from '../trpc';
import { visitIntakeProcedures } from './intake-router';

/**
 * Home-visit dispatch (VIS-1…4). On this branch only the intake; the dispatch branch owns this
 * file and spreads `visitIntakeProcedures` into its router.
 */
export const visitRouter = router({
  ...visitIntakeProcedures,
});
