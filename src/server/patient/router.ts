import { z } from 'zod';
import { patientDetailsSchema, patientSearchSchema } from '../../shared/patient-schemas';
import { roleProcedure, router } from '../trpc';
import { registerPatient, searchPatients, updatePatient } from './service';

/** Patients are registered, updated and found by clinicians (JRN-1); each passes the access decision (ACC-2). */
const clinicianProcedure = roleProcedure(['clinician']);
const uuid = z.uuid('validation.id');

export const patientRouter = router({
  register: clinicianProcedure
    .meta({ audit: ['patient.registered'] })
    .input(patientDetailsSchema)
    .mutation(({ ctx, input }) => registerPatient(ctx.deps, ctx.session, input)),

  update: clinicianProcedure
    .meta({ audit: ['patient.updated'] })
    .input(z.object({ patientId: uuid, details: patientDetailsSchema }).strict())
    .mutation(({ ctx, input }) => updatePatient(ctx.deps, ctx.session, input.patientId, input.details)),

  search: clinicianProcedure
    .meta({ audit: ['patient.search'] })
    .input(patientSearchSchema)
    .query(({ ctx, input }) => searchPatients(ctx.deps, ctx.session, input.query)),
});
