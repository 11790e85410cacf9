import { dpoAccessReportRouter } from './access-report/router';
import { dpoCasesRouter } from './cases/router';
import { dpoErasureRouter } from './erasure/router';
import { dpoExportsRouter } from './exports/router';
import { dpoFlagsRouter } from './flags/router';
import { dpoIntegrityRouter } from './integrity/router';
import { dpoLogRouter } from './log/router';
import { dpoRegistersRouter } from './registers/router';
import { router } from '../trpc';

/**
 * The DPO's workspace (DPO-1…8), a router per tool. Every procedure is the DPO's (a few the admin's
 * too), every one writes its event, and a data-subject request is an access basis of the one access
 * decision, never a way around it.
 */
export const dpoRouter = router({
  log: dpoLogRouter,
  integrity: dpoIntegrityRouter,
  flags: dpoFlagsRouter,
  accessReport: dpoAccessReportRouter,
  registers: dpoRegistersRouter,
  cases: dpoCasesRouter,
  erasure: dpoErasureRouter,
  exports: dpoExportsRouter,
});
