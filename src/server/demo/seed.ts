import type { Database } from '../db/database';
import { findDemoOrganisation, insertOrganisation } from '../organisation/repository';

export const DEMO_ORGANISATION = {
  name: 'Demoklinikken AS',
  // A made-up number with a valid mod-11 check digit; not a registered company.
  organisationNumber: '999999999',
} as const;

export interface DemoSeedResult {
  organisationId: string;
  created: boolean;
}

/**
 * Seeds the demo organisation (PLAT-5). Idempotent: a restart finds what the first start made.
 * Only ever called after claimInstallationMode(db, 'demo') succeeded. Later domains (users, patients,
 * visits, CRM) add their demo data here.
 */
export async function seedDemo(db: Database): Promise<DemoSeedResult> {
  return db.transaction().execute(async (trx) => {
    const existing = await findDemoOrganisation(trx);
    if (existing) return { organisationId: existing.id, created: false };
    const organisation = await insertOrganisation(trx, {
      name: DEMO_ORGANISATION.name,
      organisationNumber: DEMO_ORGANISATION.organisationNumber,
      isDemo: true,
    });
    return { organisationId: organisation.id, created: true };
  });
}
