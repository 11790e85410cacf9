import { accessRouter } from './access/router';
import { activityRouter } from './audit/router';
import { authRouter } from './auth/router';
import { consultationRouter } from './consultation/router';
import { journalRouter } from './journal/router';
import { visitLiveProcedures } from './live/router';
import { developerRouter } from './outbox/router';
import { patientRouter } from './patient/router';
import { sharingRouter } from './sharing/router';
import { startRouter } from './start/router';
import { systemRouter } from './system/router';
import { router } from './trpc';
import { userAdminRouter } from './user/router';

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
  // Until the dispatch router lands: it spreads visitLiveProcedures into its own `visits` router.
  visits: router({ ...visitLiveProcedures }),
});

export type AppRouter = typeof appRouter;
