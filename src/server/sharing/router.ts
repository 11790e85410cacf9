import { z } from 'zod';
import { roleProcedure, router } from '../trpc';
import { grantShare, recordConsent, revokeShare, sharingOverview, withdrawConsent } from './service';

const clinicianProcedure = roleProcedure(['clinician']);
const uuid = z.uuid('validation.id');
const purpose = z.string().trim().min(3, 'validation.required').max(500, 'validation.too_long');
const scope = z.enum(['whole_journal', 'selected_notes']);
const isoDateTime = z.iso.datetime({ offset: true, error: 'validation.date' }).transform((value) => new Date(value));

/** SHR-1…3: read access for a colleague, only under a recorded patient consent. */
export const sharingRouter = router({
  overview: clinicianProcedure
    .meta({ audit: ['sharing.overview.read'] })
    .input(z.object({ patientId: uuid }).strict())
    .query(({ ctx, input }) => sharingOverview(ctx.deps, ctx.session, input.patientId)),

  recordConsent: clinicianProcedure
    .meta({ audit: ['sharing.consent.recorded'] })
    .input(
      z
        .object({
          patientId: uuid,
          givenBy: z.enum(['patient', 'guardian', 'representative']),
          method: z.enum(['verbal', 'written', 'digital']),
          givenAt: isoDateTime,
          scope,
          purpose,
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => recordConsent(ctx.deps, ctx.session, input)),

  withdrawConsent: clinicianProcedure
    .meta({ audit: ['sharing.consent.withdrawn'] })
    .input(z.object({ consentId: uuid }).strict())
    .mutation(({ ctx, input }) => withdrawConsent(ctx.deps, ctx.session, input.consentId)),

  grant: clinicianProcedure
    .meta({ audit: ['sharing.share.granted'] })
    .input(z.object({ patientId: uuid, granteeId: uuid, consentId: uuid, scope, noteIds: z.array(uuid).max(500).default([]), purpose, endsAt: isoDateTime }).strict())
    .mutation(({ ctx, input }) => grantShare(ctx.deps, ctx.session, input)),

  revoke: clinicianProcedure
    .meta({ audit: ['sharing.share.revoked'] })
    .input(z.object({ shareId: uuid }).strict())
    .mutation(({ ctx, input }) => revokeShare(ctx.deps, ctx.session, input.shareId)),
});
