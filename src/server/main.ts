// The backend on its own: `npm run server` (production sets DATABASE_URL, the application's login, and
// DATABASE_OWNER_URL to migrate at start; without them, PGlite). On PostgreSQL it runs one worker
// process per core (JK_WORKERS to choose), see workers.ts.
import { runServerProcess } from './server-process';

runServerProcess();
