import { accessReportSchema, findPatientForReportSchema } from '../../../shared/dpo-report-schemas';
import { roleProcedure, router } from '../../trpc';
import { accessReport, exportAccessReportPdf, findPatient } from './service';

const dpo = roleProcedure(['dpo']);

/**
 * The patient access report (DPO-3): who opened the patient's journal or saw them in a list, and on
 * what basis. The DPO's only; every look-up, report and PDF is logged. Who may call what:
 * docs/access-matrix.md.
 */
export const dpoAccessReportRouter = router({
  findPatient: dpo
    .meta({ audit: ['dpo.patient.looked_up'] })
    .input(findPatientForReportSchema)
    .query(({ ctx, input }) => findPatient(ctx.deps, ctx.session, input)),

  get: dpo
    .meta({ audit: ['dpo.access_report.read'] })
    .input(accessReportSchema)
    .query(({ ctx, input }) => accessReport(ctx.deps, ctx.session, input)),

  exportPdf: dpo
    .meta({ audit: ['dpo.access_report.exported'], stepUp: true })
    .input(accessReportSchema)
    .mutation(({ ctx, input }) => exportAccessReportPdf(ctx.deps, ctx.session, input)),
});
