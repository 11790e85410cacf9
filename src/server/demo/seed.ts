import type { Role } from '../../shared/roles';
import { hashPassword } from '../auth/password';
import { decryptTotpSecret, encryptTotpSecret, issueRecoveryCodes } from '../auth/second-factor';
import type { SecretBox } from '../auth/secret-box';
import { newTotpSecret } from '../auth/totp';
import type { Database } from '../db/database';
import { findDemoOrganisation, insertOrganisation } from '../organisation/repository';
import { seedDemoConsultations } from './consultation-seed';
import { seedDemoCrm } from './crm-seed';
import { seedDemoDsrCases } from './dpo-cases-seed';
import { seedDemoFlags } from './dpo-flags-seed';
import { seedDemoRegisters } from './dpo-registers-seed';
import { seedDemoJournal } from './journal-seed';
import { seedDemoPortal } from './portal-seed';
import { seedDemoVisits } from './visit-seed';

export const DEMO_ORGANISATION = {
  name: 'Demoklinikken AS',
  // A made-up number with a valid mod-11 check digit; not a registered company.
  organisationNumber: '999999999',
} as const;

/** The demo's one password, shared by every demo user: the demo is for trying, never for real data. */
export const DEMO_PASSWORD = 'demo-journal-2026';

/** One user per role (PLAT-5), plus a clinician who is also the DPO to show several roles at once. */
export const DEMO_USERS: { email: string; displayName: string; phone: string; roles: Role[]; profession: string | null; hprNumber: string | null }[] = [
  { email: 'admin@demo.journalkontor.no', displayName: 'Ada Administrator', phone: '+4790000001', roles: ['admin'], profession: null, hprNumber: null },
  { email: 'lege@demo.journalkontor.no', displayName: 'Lars Lege', phone: '+4790000002', roles: ['clinician'], profession: 'lege', hprNumber: '1234567' },
  { email: 'psykolog@demo.journalkontor.no', displayName: 'Pia Psykolog', phone: '+4790000003', roles: ['clinician'], profession: 'psykolog', hprNumber: '7654321' },
  { email: 'koordinator@demo.journalkontor.no', displayName: 'Kari Koordinator', phone: '+4790000004', roles: ['coordinator'], profession: null, hprNumber: null },
  { email: 'salg@demo.journalkontor.no', displayName: 'Sigurd Salg', phone: '+4790000005', roles: ['sales'], profession: null, hprNumber: null },
  { email: 'personvern@demo.journalkontor.no', displayName: 'Petter Personvernombud', phone: '+4790000006', roles: ['dpo'], profession: null, hprNumber: null },
];

export interface DemoLogin {
  email: string;
  displayName: string;
  roles: Role[];
  totpSecret: string;
}

export interface DemoSeedResult {
  organisationId: string;
  created: boolean;
  password: string;
  logins: DemoLogin[];
}

/**
 * Seeds the demo organisation and its users (PLAT-5). Idempotent: a restart finds what the first
 * start made and prints the same logins. Only ever called after claimInstallationMode(db, 'demo').
 * Each domain adds its demo data here (journal, consultations, visits, CRM).
 */
export async function seedDemo(db: Database, secretBox: SecretBox): Promise<DemoSeedResult> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return db.transaction().execute(async (trx) => {
    let organisation = await findDemoOrganisation(trx);
    const created = !organisation;
    if (!organisation) {
      organisation = await insertOrganisation(trx, {
        name: DEMO_ORGANISATION.name,
        organisationNumber: DEMO_ORGANISATION.organisationNumber,
        isDemo: true,
      });
      for (const demoUser of DEMO_USERS) {
        const user = await trx
          .insertInto('app_user')
          .values({
            organisation_id: organisation.id,
            email: demoUser.email,
            display_name: demoUser.displayName,
            phone: demoUser.phone,
            profession: demoUser.profession,
            hpr_number: demoUser.hprNumber,
            status: 'active',
            password_hash: passwordHash,
            totp_secret_encrypted: null,
            totp_enrolled_at: new Date(),
            locked_until: null,
            last_login_at: null,
          })
          .returning(['id', 'organisation_id'])
          .executeTakeFirstOrThrow();
        await trx
          .updateTable('app_user')
          .set({ totp_secret_encrypted: encryptTotpSecret(secretBox, user.id, newTotpSecret()) })
          .where('id', '=', user.id)
          .execute();
        await trx
          .insertInto('role_grant')
          .values(demoUser.roles.map((role) => ({ organisation_id: organisation!.id, user_id: user.id, role, granted_by: null, revoked_at: null, revoked_by: null })))
          .execute();
        await issueRecoveryCodes(trx, user, new Date());
      }
      const byEmail = async (email: string) => (await trx.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id;
      const people = { organisationId: organisation.id, lege: await byEmail('lege@demo.journalkontor.no'), psykolog: await byEmail('psykolog@demo.journalkontor.no') };
      const seededAt = new Date();
      await seedDemoJournal(trx, people, seededAt);
      await seedDemoConsultations(trx, people, seededAt);
      await seedDemoVisits(trx, { organisationId: organisation.id, lege: people.lege, koordinator: await byEmail('koordinator@demo.journalkontor.no') }, seededAt);
      await seedDemoCrm(trx, { organisationId: organisation.id, salg: await byEmail('salg@demo.journalkontor.no'), admin: await byEmail('admin@demo.journalkontor.no') }, seededAt);
      // After the CRM: the portal's customer is one of its companies.
      await seedDemoPortal(trx, { organisationId: organisation.id, salg: await byEmail('salg@demo.journalkontor.no') }, secretBox, seededAt);
      // The DPO's data-subject requests (DPO-4): about a journal patient, a home-visit booking and a CRM contact.
      await seedDemoDsrCases(trx, { organisationId: organisation.id, dpo: await byEmail('personvern@demo.journalkontor.no') }, secretBox, seededAt);
      await seedDemoFlags(trx, people, secretBox, seededAt);
      await seedDemoRegisters(trx, { organisationId: organisation.id, dpo: await byEmail('personvern@demo.journalkontor.no') }, seededAt);
    }
    const users = await trx
      .selectFrom('app_user')
      .select(['id', 'email', 'display_name', 'totp_secret_encrypted'])
      .where('organisation_id', '=', organisation.id)
      .where('email', 'in', DEMO_USERS.map((user) => user.email))
      .execute();
    const logins = DEMO_USERS.flatMap((demoUser) => {
      const user = users.find((row) => row.email === demoUser.email);
      if (!user?.totp_secret_encrypted) return [];
      return [{ email: user.email, displayName: user.display_name, roles: demoUser.roles, totpSecret: decryptTotpSecret(secretBox, user.id, user.totp_secret_encrypted) }];
    });
    return { organisationId: organisation.id, created, password: DEMO_PASSWORD, logins };
  });
}
