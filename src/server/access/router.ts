import { z } from 'zod';
import { BREAK_GLASS_REASONS } from '../../shared/patient-schemas';
import { instant, text } from '../../shared/schema-primitives';
import { roleProcedure, router } from '../trpc';
import { addCareTeamMember, authorisationRegister, breakGlass, exportAuthorisationRegister, liftBlock, listColleagues, setBlock } from './service';

const clinicianProcedure = roleProcedure(['clinician']);
const uuid = z.uuid('validation.id');

export const accessRouter = router({
  /** Colleagues to choose from (care team, read-share, block): names and professions only. */
  colleagues: clinicianProcedure.query(({ ctx }) => listColleagues(ctx.deps, ctx.session)),

  /** ACC-3: the clinician has been told (in the app) that this is logged and reviewed. */
  breakGlass: clinicianProcedure
    .meta({ audit: ['access.break_glass'] })
    .input(
      z
        .object({
          // By id from a link, or by fødselsnummer when search (which shows only patients one may
          // open) cannot find the patient: in an emergency the number is what the clinician has.
          patientId: uuid.optional(),
          nationalId: z.string().trim().regex(/^\d{11}$/, 'validation.nationalIdentityNumber.format').optional(),
          reasonCode: z.enum(BREAK_GLASS_REASONS),
          reasonText: text({ max: 1000, multiline: true }).transform((value) => (value === '' ? null : value)).nullable().default(null),
          isWarningAcknowledged: z.literal(true, 'validation.acknowledge'),
        })
        .strict()
        .refine((value) => (value.patientId === undefined) !== (value.nationalId === undefined), { message: 'validation.patient_or_number', path: ['patientId'] }),
    )
    .mutation(({ ctx, input }) => breakGlass(ctx.deps, ctx.session, input)),

  addCareTeamMember: clinicianProcedure
    .meta({ audit: ['access.care_team.added'] })
    .input(z.object({ patientId: uuid, userId: uuid }).strict())
    .mutation(({ ctx, input }) => addCareTeamMember(ctx.deps, ctx.session, input)),

  setBlock: clinicianProcedure
    .meta({ audit: ['access.block.set'] })
    .input(
      z
        .object({
          patientId: uuid,
          blockedUserId: uuid,
          scope: z.enum(['whole_journal', 'selected_notes']),
          noteIds: z.array(uuid).max(500).default([]),
          // When the patient asked: not in the future.
          requestedAt: instant({ latest: 'now' }).transform((value) => new Date(value)),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => setBlock(ctx.deps, ctx.session, input)),

  liftBlock: clinicianProcedure
    .meta({ audit: ['access.block.lifted'] })
    .input(z.object({ blockId: uuid }).strict())
    .mutation(({ ctx, input }) => liftBlock(ctx.deps, ctx.session, input.blockId)),

  /** ACC-6: what a user holds and held. Admins and the DPO; the answer is exportable as JSON. */
  register: roleProcedure(['admin', 'dpo'])
    .meta({ audit: ['access.register.read'] })
    .input(z.object({ userId: uuid }).strict())
    .query(({ ctx, input }) => authorisationRegister(ctx.deps, ctx.session, input.userId)),

  /**
   * ACC-6: the register as a file, made and logged by the backend (AUD-2: the export event holds
   * the client's IP); an export, so a second factor within the last 5 minutes (AUTH-5).
   */
  exportRegister: roleProcedure(['admin', 'dpo'])
    .meta({ audit: ['access.register.exported'], stepUp: true })
    .input(z.object({ userId: uuid, format: z.enum(['json', 'csv']).default('json') }).strict())
    .mutation(({ ctx, input }) => exportAuthorisationRegister(ctx.deps, ctx.session, input)),
});
