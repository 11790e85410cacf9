import { accessRouter } from './access/router';
import { activityRouter } from './audit/router';
import { authRouter } from './auth/router';
import { consultationRouter } from './consultation/router';
import { crmRouter } from './crm/router';
import { journalRouter } from './journal/router';
import { dpoRouter } from './dpo/router';
import { developerRouter } from './outbox/router';
import { patientRouter } from './patient/router';
import { portalRouter } from './portal/router';
import { retentionRouter } from './retention/router';
import { sharingRouter } from './sharing/router';
import { startRouter } from './start/router';
import { systemRouter } from './system/router';
import { router } from './trpc';
import { userAdminRouter } from './user/router';
import { visitsRouter } from './visits/router';

/** The whole API. Each domain adds its router here, under its own name. */
export const appRouter = router({
  system: systemRouter,
  auth: authRouter,
  users: userAdminRouter,
  activity: activityRouter,
  patients: patientRouter,
  journal: journalRouter,
  access: accessRouter,
  sharing: sharingRouter,
  developer: developerRouter,
  consultations: consultationRouter,
  start: startRouter,
  visits: visitsRouter,
  retention: retentionRouter,
  crm: crmRouter,
  portal: portalRouter,
  dpo: dpoRouter,
});

export type AppRouter = typeof appRouter;
