import { auditLogExportSchema, caseRefSchema, downloadPackageSchema, packageRefSchema, redactSchema } from '../../../shared/dpo-export-schemas';
import { roleProcedure, router } from '../../trpc';
import { caseJournal, downloadPackage, exportAuditLog, packageOfCase, preparePackage, redactItem, releasePackage } from './service';

/**
 * Exports of the log (AUD-5) and a request's access package (DPO-5). Every file is made here,
 * behind a fresh second factor, its event holding the client address; the DPO reads journal content
 * only through a case (the access decision's dsr_case basis). Who may call what: docs/access-matrix.md.
 */
const dpo = roleProcedure(['dpo']);

export const dpoExportsRouter = router({
  auditLog: dpo
    .meta({ audit: ['dpo.log.exported'], stepUp: true })
    .input(auditLogExportSchema)
    .mutation(({ ctx, input }) => exportAuditLog(ctx.deps, ctx.session, input)),

  caseJournal: dpo
    .meta({ audit: ['dpo.case.journal_read'] })
    .input(caseRefSchema)
    .query(({ ctx, input }) => caseJournal(ctx.deps, ctx.session, input)),

  package: dpo
    .meta({ audit: ['dpo.package.read'] })
    .input(caseRefSchema)
    .query(({ ctx, input }) => packageOfCase(ctx.deps, ctx.session, input)),

  preparePackage: dpo
    .meta({ audit: ['dpo.package.prepared'] })
    .input(caseRefSchema)
    .mutation(({ ctx, input }) => preparePackage(ctx.deps, ctx.session, input)),

  redact: dpo
    .meta({ audit: ['dpo.package.redacted'] })
    .input(redactSchema)
    .mutation(({ ctx, input }) => redactItem(ctx.deps, ctx.session, input)),

  release: dpo
    .meta({ audit: ['dpo.package.released'] })
    .input(packageRefSchema)
    .mutation(({ ctx, input }) => releasePackage(ctx.deps, ctx.session, input)),

  download: dpo
    .meta({ audit: ['dpo.package.exported'], stepUp: true })
    .input(downloadPackageSchema)
    .mutation(({ ctx, input }) => downloadPackage(ctx.deps, ctx.session, input)),
});
