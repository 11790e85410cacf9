import {
  createActivitySchema,
  createProcessorSchema,
  exportRegisterSchema,
  removeActivitySchema,
  removeProcessorSchema,
  updateActivitySchema,
  updateProcessorSchema,
} from '../../../shared/dpo-report-schemas';
import { roleProcedure, router } from '../../trpc';
import { createActivity, createProcessor, exportRegister, registers, removeActivity, removeProcessor, updateActivity, updateProcessor } from './service';

const dpo = roleProcedure(['dpo']);

/**
 * The registers (DPO-7): processing activities (GDPR art. 30) and data processors. The DPO keeps
 * them; the admin may read them. Every read, change and export is logged. Who may call what:
 * docs/access-matrix.md.
 */
export const dpoRegistersRouter = router({
  list: roleProcedure(['dpo', 'admin'])
    .meta({ audit: ['dpo.registers.read'] })
    .query(({ ctx }) => registers(ctx.deps, ctx.session)),

  createActivity: dpo
    .meta({ audit: ['dpo.register.saved'] })
    .input(createActivitySchema)
    .mutation(({ ctx, input }) => createActivity(ctx.deps, ctx.session, input)),

  updateActivity: dpo
    .meta({ audit: ['dpo.register.saved'] })
    .input(updateActivitySchema)
    .mutation(({ ctx, input }) => updateActivity(ctx.deps, ctx.session, input)),

  removeActivity: dpo
    .meta({ audit: ['dpo.register.removed'] })
    .input(removeActivitySchema)
    .mutation(({ ctx, input }) => removeActivity(ctx.deps, ctx.session, input)),

  createProcessor: dpo
    .meta({ audit: ['dpo.register.saved'] })
    .input(createProcessorSchema)
    .mutation(({ ctx, input }) => createProcessor(ctx.deps, ctx.session, input)),

  updateProcessor: dpo
    .meta({ audit: ['dpo.register.saved'] })
    .input(updateProcessorSchema)
    .mutation(({ ctx, input }) => updateProcessor(ctx.deps, ctx.session, input)),

  removeProcessor: dpo
    .meta({ audit: ['dpo.register.removed'] })
    .input(removeProcessorSchema)
    .mutation(({ ctx, input }) => removeProcessor(ctx.deps, ctx.session, input)),

  export: dpo
    .meta({ audit: ['dpo.register.exported'], stepUp: true })
    .input(exportRegisterSchema)
    .mutation(({ ctx, input }) => exportRegister(ctx.deps, ctx.session, input)),
});
