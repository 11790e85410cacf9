// `npm run journal:verify`: recompute the hash of every signed journal version (JRN-3).
// Exit code 0 when all match, 1 when any does not, 2 when it could not run.
import { loadConfig } from '../config';
import { databaseTargetOf, openApplicationDatabase } from '../db/open';
import { describeErrorForLog } from '../log';
import { verifyJournalHashes } from './verify';

async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openApplicationDatabase(databaseTargetOf(config, { poolSize: 2 }));
  try {
    const report = await verifyJournalHashes(database.db);
    process.stdout.write(`Checked ${report.checkedVersions} signed versions.\n`);
    if (report.mismatches.length === 0) {
      process.stdout.write('All signed journal text matches its signature.\n');
      return 0;
    }
    for (const mismatch of report.mismatches) process.stdout.write(`MISMATCH note ${mismatch.noteId} version ${mismatch.version}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`journal:verify could not run: ${JSON.stringify(describeErrorForLog(error))}\n`);
    process.exit(2);
  },
);
