import { roleProcedure, router } from '../../trpc';
import { integrityStatus, latestIntegrityRuns, startIntegrityRun } from './service';

const dpo = roleProcedure(['dpo']);

/** The audit log's integrity from the workspace (DPO-8, AUD-4). Who may call what: docs/access-matrix.md. */
export const dpoIntegrityRouter = router({
  start: dpo.meta({ audit: ['dpo.integrity.started'] }).mutation(({ ctx }) => startIntegrityRun(ctx.deps, ctx.session)),

  /** Polled every second while a run goes: counts and codes of the organisation's latest run, no event. */
  status: dpo.query(({ ctx }) => integrityStatus(ctx.deps, ctx.session, ctx.config.auditWitnessPath !== undefined)),

  latest: dpo.meta({ audit: ['dpo.integrity.read'] }).query(({ ctx }) => latestIntegrityRuns(ctx.deps, ctx.session, ctx.config.auditWitnessPath !== undefined)),
});
