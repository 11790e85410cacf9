import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { contactIdempotencyKeySchema, publicContactSchema } from '../../shared/crm-schemas';
import { ANONYMOUS_ACTOR, type AuditActor } from '../audit/record';
import type { ServerDependencies } from '../context';
import { notFound } from '../errors';
import { registerAuditedRoute } from '../http/audited-route';
import type { AttackLimits } from '../limits/attack-limits';
import { defaultReviewOn, insertCompany } from './service';

export const PUBLIC_CONTACT_URL = '/public/corporate-contact';

/** An enquiry is a few hundred bytes; 16 KiB holds the longest legal values escaped, and nothing more (413). */
export const PUBLIC_CONTACT_BODY_LIMIT = 16 * 1024;

/**
 * The contact form has no user: its events name the organisation the form belongs to, with nobody
 * as the actor, so the organisation's log shows every enquiry.
 */
function contactFormActor(organisationId: string): AuditActor {
  return { ...ANONYMOUS_ACTOR, organisationId, displayName: 'public:contact-form' };
}

/**
 * CRM-2: the corporate contact form's endpoint (no login; CORS as the booking form). Rate-limited
 * per source address and overall before the body is read (PLAT-9); the organisation is named by
 * its public contact-form key, an unknown key is a plain 404. Takes the enquiry in as a lead: the
 * company by its organisation number (or a new lead), the contact, one consent record per ticked
 * purpose with the consent text exactly as shown as its evidence, and the message as an activity.
 * Idempotent per Idempotency-Key: a retry writes nothing. The answer says only "received".
 */
export function registerPublicContactRoute(app: FastifyInstance, deps: Pick<ServerDependencies, 'db' | 'config' | 'now'>, limits: AttackLimits): void {
  registerAuditedRoute(app, deps, {
    method: 'POST',
    url: PUBLIC_CONTACT_URL,
    actions: ['crm.contact.received'],
    mode: 'write',
    input: publicContactSchema,
    onRequest: limits.routeHook('http.public.contact'),
    bodyLimit: PUBLIC_CONTACT_BODY_LIMIT,
    headers: { 'idempotency-key': contactIdempotencyKeySchema },
    successStatus: 201,
    handler: async ({ trx, audit, now, headers }, input) => {
      const organisation = await trx.selectFrom('organisation').select('id').where('contact_form_key', '=', input.organisation).executeTakeFirst();
      if (!organisation) throw notFound();
      const organisationId = organisation.id;
      const idempotencyKey = headers['idempotency-key'] ?? '';
      // Twins of one submission wait here for each other; the second then finds the first's contact
      // and writes nothing (no second lead company, no second consent).
      await sql`select pg_advisory_xact_lock(hashtextextended(${`crm.contact:${organisationId}:${idempotencyKey}`}, 0))`.execute(trx);
      const existing = await trx
        .selectFrom('crm_contact')
        .select('id')
        .where('organisation_id', '=', organisationId)
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (existing) return { status: 'received' as const };

      const known =
        input.organisationNumber === null
          ? undefined
          : await trx.selectFrom('company').select('id').where('organisation_id', '=', organisationId).where('organisation_number', '=', input.organisationNumber).executeTakeFirst();
      const companyId =
        known?.id ??
        (
          await insertCompany(
            trx,
            {
              organisationId,
              name: input.companyName,
              organisationNumber: input.organisationNumber,
              street: null,
              postcode: null,
              city: null,
              industry: null,
              status: 'lead',
              source: 'contact_form',
              ownerId: null,
              createdBy: null,
            },
            now,
          )
        ).id;

      const contact = await trx
        .insertInto('crm_contact')
        .values({
          organisation_id: organisationId,
          company_id: companyId,
          full_name: input.fullName,
          job_title: input.jobTitle,
          email: input.email,
          phone: input.phone,
          source: 'contact_form',
          idempotency_key: idempotencyKey,
          created_at: now,
          created_by: null,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('contact_legal_basis')
        .values(
          input.purposes.map((purpose) => ({
            organisation_id: organisationId,
            contact_id: contact.id,
            purpose,
            basis: 'consent' as const,
            state: 'active' as const,
            source: 'contact_form' as const,
            evidence: input.consentText,
            review_on: defaultReviewOn('consent', now),
            recorded_at: now,
            recorded_by: null,
            supersedes_id: null,
          })),
        )
        .execute();
      await trx
        .insertInto('crm_activity')
        .values({ organisation_id: organisationId, company_id: companyId, contact_id: contact.id, kind: 'web_form', purpose: null, summary: input.message, occurred_at: now, created_by: null, created_at: now })
        .execute();
      // Ids and codes only: the name, e-mail and message stay in the CRM (AUD-2).
      audit.record({
        actor: contactFormActor(organisationId),
        objectType: 'crm_contact',
        objectId: contact.id,
        details: { companyId, isNewCompany: known === undefined, purposes: input.purposes },
      });
      return { status: 'received' as const };
    },
  });
}
