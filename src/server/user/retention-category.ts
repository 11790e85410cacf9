import { type RawBuilder, sql } from 'kysely';
import { formatDate } from '../../shared/oslo-time';
import type { Executor } from '../db/database';
import { enqueueMessages, type OutgoingMessage } from '../outbox/outbox';
import type { DueCount, DueItem, PersonDataCategory, PersonIdentifiers, PersonItem, RetentionCategory } from '../retention/category';
import { shiftCalendarMonths } from '../retention/cutoffs';
import { normalisePhone, notHeld } from '../retention/holds';

/**
 * Anonymises accounts (DPO-5, DPO-6), for a data-subject request and for the schedule alike: the
 * e-mail, phone, national identity number's keyed hash and the sign-in secrets go, the account can
 * no longer sign in (disabled; its recovery codes used up, an open invitation revoked), and a
 * message still waiting in the outbox for it is not sent. The id stays, so the audit log's events
 * keep their actor, and so do the role grants (the history of who could do what, ACC-6). An account
 * that wrote or signed in a journal keeps its name, profession and HPR number: the journal must
 * name its author (helsepersonelloven § 40, R-PJL-6); every other account loses them too.
 * `isActiveIncluded: false` (a request) leaves active accounts alone: the employment is their ground.
 */
export async function anonymiseAccounts(trx: Executor, ids: readonly string[], now: Date, options: { isActiveIncluded: boolean }): Promise<number> {
  if (ids.length === 0) return 0;
  const { rows: accounts } = await sql<{ id: string }>`
    select id from app_user
     where id = any(${[...ids]}::uuid[]) and anonymised_at is null ${options.isActiveIncluded ? sql`` : sql`and status <> 'active'`}`.execute(trx);
  if (accounts.length === 0) return 0;
  const idList = sql`${accounts.map((account) => account.id)}::uuid[]`;
  await sql`
    update outbox_message m set body = null, purged_at = ${now}, status = 'failed'
      from app_user u
     where u.id = any(${idList}) and m.status = 'pending' and m.body is not null
       and m.organisation_id = u.organisation_id and m.recipient in (u.email, u.phone)`.execute(trx);
  // One scan of each journal table for the whole batch (no index on their authors is needed for a
  // check that runs for a handful of accounts a year).
  const { rows } = await sql<{ id: string }>`
    with authors as (
      select author_id as id from journal_note where author_id = any(${idList})
      union select created_by from journal_note_version where created_by = any(${idList})
      union select signed_by from journal_note_version where signed_by = any(${idList})
    )
    update app_user u
       set display_name = case when u.id in (select id from authors) then u.display_name else 'Anonymisert bruker' end,
           profession = case when u.id in (select id from authors) then u.profession end,
           hpr_number = case when u.id in (select id from authors) then u.hpr_number end,
           email = 'anonymisert-' || u.id || '@anonymisert.invalid', phone = '000', national_id_hmac = null,
           password_hash = null, totp_secret_encrypted = null, totp_enrolled_at = null, totp_last_used_step = null,
           status = 'disabled', inactivity_warned_at = null, anonymised_at = ${now}
     where u.id = any(${idList})
    returning u.id`.execute(trx);
  await sql`update recovery_code set used_at = ${now} where user_id = any(${idList}) and used_at is null`.execute(trx);
  await sql`update invitation set revoked_at = ${now} where user_id = any(${idList}) and accepted_at is null and revoked_at is null`.execute(trx);
  return rows.length;
}

/**
 * DPO-5: a person's user accounts (an employee or former employee who asks to be erased), found by
 * e-mail or phone. An active account is kept (the employment is its ground); an account that
 * wrote in a journal is kept as well, since the journal must name its author (helsepersonelloven
 * § 40, R-PJL-6). Any other (invited, disabled) is anonymised: name, e-mail, phone, HPR number and
 * the sign-in secrets go; the id stays so the audit log's events keep their actor.
 */
/** An account of the person (table alias u): by e-mail or phone; null when neither is known. */
function personMatch(person: PersonIdentifiers) {
  const match = [];
  if (person.email) match.push(sql`u.email = ${person.email.toLowerCase()}`);
  if (person.phone) match.push(sql`regexp_replace(u.phone, '[^0-9+]', '', 'g') = ${normalisePhone(person.phone)}`);
  return match.length === 0 ? null : sql<boolean>`(${sql.join(match, sql` or `)})`;
}

export const userAccountCategory: PersonDataCategory = {
  name: 'account.user',
  descriptionKey: 'dpoErasure.category.accountUser',
  keeps: ['dpoErasure.keeps.accountId'],
  erasureMethod: 'anonymised',

  async findForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; status: string; createdAt: Date; hasWritten: boolean }>`
      select u.id, u.status, u.created_at as "createdAt",
             exists (select 1 from journal_note n where n.organisation_id = u.organisation_id and n.author_id = u.id) as "hasWritten"
        from app_user u
       where u.organisation_id = ${organisationId} and u.anonymised_at is null and ${match}
       order by u.created_at, u.id`.execute(trx);
    return rows.map((row): PersonItem => {
      const groundCode = row.status === 'active' ? 'account.active' : row.hasWritten ? 'journal.content' : null;
      return { id: row.id, labelKey: 'dpoErasure.item.account', labelDate: row.createdAt.toISOString(), count: 1, action: groundCode ? 'keep' : 'anonymise', groundCode };
    });
  },

  eraseForPerson(trx, ids, now) {
    return anonymiseAccounts(trx, ids, now, { isActiveIncluded: false });
  },

  packageSection: 'accounts',

  /** DPO-5: the account as the person's own data: name, contact details, profession, status, when made and last used (never the sign-in secrets). */
  async collectForPerson(trx, { organisationId, person }) {
    const match = personMatch(person);
    if (!match) return [];
    const { rows } = await sql<{ id: string; email: string; displayName: string; phone: string; profession: string | null; status: string; createdAt: Date; lastLoginAt: Date | null }>`
      select u.id, u.email, u.display_name as "displayName", u.phone, u.profession, u.status, u.created_at as "createdAt", u.last_login_at as "lastLoginAt"
        from app_user u
       where u.organisation_id = ${organisationId} and ${match}
       order by u.created_at, u.id`.execute(trx);
    return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), lastLoginAt: row.lastLoginAt?.toISOString() ?? null }));
  },

  async ownsObject(trx, organisationId, id) {
    return (await trx.selectFrom('app_user').select('id').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },
};

/**
 * DPO-6: an account nobody has logged in to for four years (its last login, or its creation when
 * it never had one) is warned, and anonymised six months after the warning if there was still no
 * login; a login clears the warning (login-service). The warning is recorded on the account
 * (`inactivity_warned_at`, shown in the admin's user list), logged (`retention.warned`) and, for an
 * active account, sent by e-mail through the outbox — the person can keep the account by logging
 * in. An invited or disabled account cannot log in: its warning is for the admin, who sees it.
 *
 * Never changed by the schedule, and never warned (the warning would not be true): an account that
 * holds the DPO role (the organisation's data protection officer; the admin revokes the role first
 * if the person has left), and an active admin whose organisation has no other active admin who
 * has logged in within the four years — the organisation never loses its last admin. The dry run
 * counts both as kept. Accounts of the demo organisation are never due. A legal hold on the
 * account (category 'account.user', that account, or the person) stops both steps.
 */
const INACTIVE_CATEGORY = 'user.inactive_account';
const INACTIVE_MONTHS = 48;
const WARNING_MONTHS = 6;

const lastActive = sql`coalesce(u.last_login_at, u.created_at)`;

const holdColumns = {
  organisationId: sql.ref('u.organisation_id'),
  id: sql.ref('u.id'),
  email: sql.ref('u.email'),
  phone: sql.ref('u.phone'),
  nationalIdHmac: sql.ref('u.national_id_hmac'),
};
/** A hold on the accounts a request erases holds them for the schedule too: one kind of row, two categories. */
const isNotLegallyHeld = sql`${notHeld(INACTIVE_CATEGORY, holdColumns)} and ${notHeld('account.user', holdColumns)}`;

const holdsRole = (role: 'admin' | 'dpo') => sql`exists (select 1 from role_grant g where g.user_id = u.id and g.role = ${role} and g.revoked_at is null)`;
const isDpo = holdsRole('dpo');
/** An active admin with no other active admin in the organisation who has logged in since the cut-off. */
const isLastAdmin = (inactiveSince: Date) => sql`(
  u.status = 'active' and ${holdsRole('admin')}
  and not exists (
    select 1 from app_user o join role_grant g on g.user_id = o.id and g.role = 'admin' and g.revoked_at is null
     where o.organisation_id = u.organisation_id and o.id <> u.id and o.status = 'active' and o.anonymised_at is null
       and coalesce(o.last_login_at, o.created_at) > ${inactiveSince}))`;
const isKeptByRole = (inactiveSince: Date) => sql`(${isDpo} or ${isLastAdmin(inactiveSince)})`;

const ofOrganisation = (organisationId: string | undefined): RawBuilder<unknown> => (organisationId === undefined ? sql`true` : sql`u.organisation_id = ${organisationId}`);

/** Not anonymised, not of the demo, no login since the cut-off. */
const isInactive = (inactiveSince: Date, organisationId: string | undefined) => sql`
  ${ofOrganisation(organisationId)} and u.anonymised_at is null and ${lastActive} <= ${inactiveSince}
  and not exists (select 1 from organisation d where d.id = u.organisation_id and d.is_demo)`;

/** The cut-offs of a run at `now`: inactive at or before the first, warned at or before the second. */
function cutoffs(now: Date): { inactiveSince: Date; warnedBefore: Date } {
  return { inactiveSince: shiftCalendarMonths(now, -INACTIVE_MONTHS), warnedBefore: shiftCalendarMonths(now, -WARNING_MONTHS) };
}

const isDueForWarning = (now: Date, organisationId: string | undefined) => {
  const { inactiveSince } = cutoffs(now);
  return sql`${isInactive(inactiveSince, organisationId)} and u.inactivity_warned_at is null and not ${isKeptByRole(inactiveSince)} and ${isNotLegallyHeld}`;
};

const isDueForAnonymisation = (now: Date, organisationId: string | undefined) => {
  const { inactiveSince, warnedBefore } = cutoffs(now);
  return sql`${isInactive(inactiveSince, organisationId)} and u.inactivity_warned_at <= ${warnedBefore} and not ${isKeptByRole(inactiveSince)} and ${isNotLegallyHeld}`;
};

async function countWith(trx: Executor, due: RawBuilder<unknown>, since: RawBuilder<unknown>, months: number): Promise<DueCount> {
  const { rows } = await sql<{ count: string; since: Date | null }>`
    select count(*)::text as count, min(${since}) as since from app_user u where ${due}`.execute(trx);
  const row = rows[0];
  return { count: Number(row?.count ?? 0), oldestDueAt: row?.since ? shiftCalendarMonths(row.since, months) : null };
}

/** The warning e-mail: who, where, since when, and until when a login keeps the account. No health data, no link. */
function warningMessage(account: { organisationId: string; email: string; displayName: string; organisationName: string; lastActive: Date }, anonymiseFrom: Date): OutgoingMessage {
  return {
    organisationId: account.organisationId,
    channel: 'email',
    recipient: account.email,
    template: 'account.inactivity_warning',
    subject: `Kontoen din i Journalkontor – ${account.organisationName}`,
    body:
      `Hei ${account.displayName}!\n\n` +
      `Kontoen din i Journalkontor hos ${account.organisationName} har ikke vært brukt siden ${formatDate(account.lastActive)}. ` +
      `Kontoer som ikke brukes på fire år, anonymiseres.\n\n` +
      `Vil du beholde kontoen, logger du inn før ${formatDate(anonymiseFrom)}. Ellers anonymiseres den etter denne datoen og kan ikke brukes igjen.\n\n` +
      `Trenger du ikke kontoen lenger, trenger du ikke gjøre noe.`,
  };
}

export const inactiveAccountRetentionCategory: RetentionCategory = {
  name: INACTIVE_CATEGORY,
  descriptionKey: 'retention.category.inactiveAccount.description',
  keeps: ['retention.category.inactiveAccount.keepsId', 'retention.category.inactiveAccount.keepsAuthor', 'retention.category.inactiveAccount.keepsRoles'],

  warning: {
    async findDue(trx, { now, limit, organisationId }) {
      // A warned account leaves this set at once: no keyset needed. SKIP LOCKED: an account an
      // admin (or its own login) is changing right now waits for the next run.
      const { rows } = await sql<DueItem>`
        select u.id, u.organisation_id as "organisationId" from app_user u
         where ${isDueForWarning(now, organisationId)}
         order by ${lastActive}, u.id
         limit ${limit}
         for update of u skip locked`.execute(trx);
      return rows;
    },

    async warn(trx, ids, now) {
      if (ids.length === 0) return 0;
      const { rows } = await sql<{ organisationId: string; email: string; displayName: string; status: string; organisationName: string; lastActive: Date }>`
        update app_user u set inactivity_warned_at = ${now}
          from organisation o
         where u.id = any(${[...ids]}::uuid[]) and o.id = u.organisation_id and u.inactivity_warned_at is null and u.anonymised_at is null
        returning u.organisation_id as "organisationId", u.email, u.display_name as "displayName", u.status, o.name as "organisationName", ${lastActive} as "lastActive"`.execute(trx);
      const anonymiseFrom = shiftCalendarMonths(now, WARNING_MONTHS);
      await enqueueMessages(
        trx,
        rows.filter((row) => row.status === 'active').map((row) => warningMessage(row, anonymiseFrom)),
      );
      return rows.length;
    },

    countDue(trx, { now, organisationId }) {
      return countWith(trx, isDueForWarning(now, organisationId), lastActive, INACTIVE_MONTHS);
    },
  },

  async findDue(trx, { now, limit, organisationId }) {
    // An anonymised account leaves the due set at once: no keyset needed.
    const { rows } = await sql<DueItem>`
      select u.id, u.organisation_id as "organisationId" from app_user u
       where ${isDueForAnonymisation(now, organisationId)}
       order by u.inactivity_warned_at, u.id
       limit ${limit}
       for update of u skip locked`.execute(trx);
    return rows;
  },

  anonymise(trx, ids, now) {
    return anonymiseAccounts(trx, ids, now, { isActiveIncluded: true });
  },

  countDue(trx, { now, organisationId }) {
    return countWith(trx, isDueForAnonymisation(now, organisationId), sql`u.inactivity_warned_at`, WARNING_MONTHS);
  },

  async countKept(trx, { now, organisationId }) {
    const { inactiveSince } = cutoffs(now);
    const { rows } = await sql<{ dpo: string; lastAdmin: string }>`
      select count(*) filter (where ${isDpo})::text as dpo,
             count(*) filter (where not ${isDpo} and ${isLastAdmin(inactiveSince)})::text as "lastAdmin"
        from app_user u where ${isInactive(inactiveSince, organisationId)}`.execute(trx);
    const row = rows[0];
    return [
      { reasonKey: 'retention.category.inactiveAccount.keptDpo', count: Number(row?.dpo ?? 0) },
      { reasonKey: 'retention.category.inactiveAccount.keptLastAdmin', count: Number(row?.lastAdmin ?? 0) },
    ];
  },

  async ownsObject(trx, organisationId, id) {
    return (await trx.selectFrom('app_user').select('id').where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst()) !== undefined;
  },
};
