// The `http` benchmark's server (issue 13): exactly what `npm run server` runs (src/server/main.ts,
// the primary and its workers), plus ONE diagnostic procedure never mounted in the app:
// `bench.page`, the journal's first-page query behind the same session check and role check as
// `journal.open`, but with no access decision and no audit event. Over HTTP against `journal.open`
// it isolates what the decision and the event cost from what every request costs (HTTP, tRPC, the
// session). The benchmark starts this entry only from this checkout, and only for that comparison.
import { z } from 'zod';
import { selectNotesPage } from '../../../src/server/journal/service';
import { appRouter } from '../../../src/server/router';
import { runServerProcess } from '../../../src/server/server-process';
import { roleProcedure, router } from '../../../src/server/trpc';

/** The page size the app asks for (journal.open's default). */
const PAGE_SIZE = 25;

const benchRouter = router({
  ...appRouter._def.record,
  bench: router({
    page: roleProcedure(['clinician'])
      .input(z.object({ patientId: z.uuid() }).strict())
      .query(({ ctx, input }) => selectNotesPage(ctx.db, ctx.session, { patientId: input.patientId, limit: PAGE_SIZE }, { only: null, blocked: [] })),
  }),
});

runServerProcess({ router: benchRouter });
