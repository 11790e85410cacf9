import {
  createDsrCaseSchema,
  dsrCaseRefSchema,
  extendDsrDeadlineSchema,
  liftRestrictionSchema,
  linkDsrPatientSchema,
  listDsrCasesSchema,
  registerObjectionSchema,
  requestCorrectionSchema,
  setDsrStatusSchema,
  setRestrictionSchema,
  updateDsrCaseSchema,
  verifyDsrIdentitySchema,
} from '../../../shared/dsr-schemas';
import { roleProcedure, router } from '../../trpc';
import { objectionContacts, registerObjection, requestCorrection } from './actions';
import { createCase, dataTrail, extendDeadline, getCase, liftRestriction, linkPatient, listCases, setRestriction, setStatus, updateCase, verifyIdentity } from './service';

/**
 * Data-subject requests (DPO-4) and restriction of processing (DPO-5): the DPO's alone. Every read
 * and change writes its event. Who may call what: docs/access-matrix.md.
 */
const dpo = roleProcedure(['dpo']);

export const dpoCasesRouter = router({
  list: dpo
    .meta({ audit: ['dpo.cases.read'] })
    .input(listDsrCasesSchema)
    .query(({ ctx, input }) => listCases(ctx.deps, ctx.session, input)),

  get: dpo
    .meta({ audit: ['dpo.case.read'] })
    .input(dsrCaseRefSchema)
    .query(({ ctx, input }) => getCase(ctx.deps, ctx.session, input)),

  create: dpo
    .meta({ audit: ['dpo.case.created', 'dpo.case.person_searched'] })
    .input(createDsrCaseSchema)
    .mutation(({ ctx, input }) => createCase(ctx.deps, ctx.session, input)),

  update: dpo
    .meta({ audit: ['dpo.case.updated'] })
    .input(updateDsrCaseSchema)
    .mutation(({ ctx, input }) => updateCase(ctx.deps, ctx.session, input)),

  linkPatient: dpo
    .meta({ audit: ['dpo.case.updated'] })
    .input(linkDsrPatientSchema)
    .mutation(({ ctx, input }) => linkPatient(ctx.deps, ctx.session, input)),

  verifyIdentity: dpo
    .meta({ audit: ['dpo.case.identity_verified'] })
    .input(verifyDsrIdentitySchema)
    .mutation(({ ctx, input }) => verifyIdentity(ctx.deps, ctx.session, input)),

  setStatus: dpo
    .meta({ audit: ['dpo.case.status_changed'] })
    .input(setDsrStatusSchema)
    .mutation(({ ctx, input }) => setStatus(ctx.deps, ctx.session, input)),

  extend: dpo
    .meta({ audit: ['dpo.case.extended'] })
    .input(extendDsrDeadlineSchema)
    .mutation(({ ctx, input }) => extendDeadline(ctx.deps, ctx.session, input)),

  dataTrail: dpo
    .meta({ audit: ['dpo.case.data_trail_read'] })
    .input(dsrCaseRefSchema)
    .query(({ ctx, input }) => dataTrail(ctx.deps, ctx.session, input)),

  setRestriction: dpo
    .meta({ audit: ['dpo.restriction.set'] })
    .input(setRestrictionSchema)
    .mutation(({ ctx, input }) => setRestriction(ctx.deps, ctx.session, input)),

  liftRestriction: dpo
    .meta({ audit: ['dpo.restriction.lifted'] })
    .input(liftRestrictionSchema)
    .mutation(({ ctx, input }) => liftRestriction(ctx.deps, ctx.session, input)),

  /** Rectification (JRN-4): the DPO asks a clinician to correct the journal; the clinician answers in the journal. */
  requestCorrection: dpo
    .meta({ audit: ['dpo.case.correction_requested'] })
    .input(requestCorrectionSchema)
    .mutation(({ ctx, input }) => requestCorrection(ctx.deps, ctx.session, input)),

  /** Objection (art. 21): the person's CRM contacts the case finds, and what each rests on. */
  objectionContacts: dpo
    .meta({ audit: ['dpo.case.person_searched'] })
    .input(dsrCaseRefSchema)
    .query(({ ctx, input }) => objectionContacts(ctx.deps, ctx.session, input)),

  registerObjection: dpo
    .meta({ audit: ['dpo.case.objection_registered', 'crm.legal_basis.objected'] })
    .input(registerObjectionSchema)
    .mutation(({ ctx, input }) => registerObjection(ctx.deps, ctx.session, input)),
});
