import { systemRouter } from './system/router';
import { router } from './trpc';

/** The whole API. Each domain adds its router here, under its own name. */
export const appRouter = router({
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
