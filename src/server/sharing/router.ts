import { z } from 'zod';
import { instant, text } from '../../shared/schema-primitives';
import { roleProcedure, router } from '../trpc';
import { grantShare, recordConsent, revokeShare, sharingOverview, withdrawConsent } from './service';

const clinicianProcedure = roleProcedure(['clinician']);
const uuid = z.uuid('validation.id');
const purpose = text({ min: 3, max: 500, multiline: true });
const scope = z.enum(['whole_journal', 'selected_notes']);
const asDate = (value: string) => new Date(value);

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
          // Consent has been given: not in the future (the service checks against its own clock).
          givenAt: instant({ latest: 'now' }).transform(asDate),
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
    .meta({ audit: ['sharing.share.granted', 'dpo.processing.restricted'] })
    .input(z.object({ patientId: uuid, granteeId: uuid, consentId: uuid, scope, noteIds: z.array(uuid).max(500).default([]), purpose, endsAt: instant({ latest: { years: 10 } }).transform(asDate) }).strict())
    .mutation(({ ctx, input }) => grantShare(ctx.deps, ctx.session, input)),

  revoke: clinicianProcedure
    .meta({ audit: ['sharing.share.revoked'] })
    .input(z.object({ shareId: uuid }).strict())
    .mutation(({ ctx, input }) => revokeShare(ctx.deps, ctx.session, input.shareId)),
});
