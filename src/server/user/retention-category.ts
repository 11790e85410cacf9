import { sql } from 'kysely';
import type { PersonDataCategory, PersonIdentifiers, PersonItem } from '../retention/category';
import { normalisePhone } from '../retention/holds';

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
       where u.organisation_id = ${organisationId} and u.email not like '%@anonymisert.invalid' and ${match}
       order by u.created_at, u.id`.execute(trx);
    return rows.map((row): PersonItem => {
      const groundCode = row.status === 'active' ? 'account.active' : row.hasWritten ? 'journal.content' : null;
      return { id: row.id, labelKey: 'dpoErasure.item.account', labelDate: row.createdAt.toISOString(), count: 1, action: groundCode ? 'keep' : 'anonymise', groundCode };
    });
  },

  async eraseForPerson(trx, ids) {
    if (ids.length === 0) return 0;
    const { rows } = await sql<{ id: string }>`
      update app_user
         set display_name = 'Anonymisert bruker', email = 'anonymisert-' || id || '@anonymisert.invalid', phone = '000',
             hpr_number = null, profession = null, password_hash = null, totp_secret_encrypted = null, status = 'disabled'
       where id = any(${[...ids]}::uuid[]) and status <> 'active'
      returning id`.execute(trx);
    return rows.length;
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
