import { roleProcedure, router } from '../../trpc';
import { integrityStatus, latestIntegrityRuns, startIntegrityRun } from './service';

/**
 * The DPO's, and the admin's too (DPO-8, AUD-4): the administrator answers for the system's
 * integrity and runs the same check. Both see the organisation's runs; one run at a time per
 * organisation, whoever started it. The log export on the same page stays the DPO's.
 */
const dpoOrAdmin = roleProcedure(['dpo', 'admin']);

/** The audit log's integrity from the workspace (DPO-8, AUD-4). Who may call what: docs/access-matrix.md. */
export const dpoIntegrityRouter = router({
  start: dpoOrAdmin.meta({ audit: ['dpo.integrity.started'] }).mutation(({ ctx }) => startIntegrityRun(ctx.deps, ctx.session)),

  /** Polled every second while a run goes: counts and codes of the organisation's latest run, no event. */
  status: dpoOrAdmin.query(({ ctx }) => integrityStatus(ctx.deps, ctx.session, ctx.config.auditWitnessPath !== undefined)),

  latest: dpoOrAdmin.meta({ audit: ['dpo.integrity.read'] }).query(({ ctx }) => latestIntegrityRuns(ctx.deps, ctx.session, ctx.config.auditWitnessPath !== undefined)),
});
