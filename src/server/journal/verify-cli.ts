// `npm run journal:verify [-- --witness=<file> | --no-witness]`: recompute the hash of every signed
// journal version (JRN-3) and check each against the anchor its signing event carries, and each
// signing event against a version that still exists or a deletion decision (AUD-4, JRN-4).
// The events are the anchor only as far as the audit log is proven, so this seals what is pending
// and verifies the audit log first (as audit:verify does); versions whose event is still unsealed
// afterwards are reported as pending. Exit code 0 when all match, 1 when any does not, 2 when it
// could not run.
import { sealPendingEvents } from '../audit/seal';
import { verifyAuditLog } from '../audit/verify';
import { WitnessAheadError } from '../audit/witness';
import { witnessPathFromArgs } from '../audit/witness-args';
import { loadConfig } from '../config';
import { databaseTargetOf, openApplicationDatabase } from '../db/open';
import { describeErrorForLog } from '../log';
import { verifyJournalHashes } from './verify';

async function main(): Promise<number> {
  const config = loadConfig();
  const witnessPath = witnessPathFromArgs(process.argv.slice(2), config.auditWitnessPath);
  const database = await openApplicationDatabase(databaseTargetOf(config, { poolSize: 2 }));
  try {
    try {
      await sealPendingEvents(database.db, { witnessPath });
    } catch (error) {
      if (!(error instanceof WitnessAheadError)) throw error;
    }
    const audit = await verifyAuditLog(database.db, { witnessPath });
    const report = await verifyJournalHashes(database.db);
    process.stdout.write(
      `Checked ${report.checkedVersions} signed versions: ${report.pendingVersions} anchored by events not sealed yet, ${report.legacyVersions} signed before events carried anchors, ${report.deletedVersions} removed by deletion decisions.\n`,
    );
    if (!audit.isIntact) process.stdout.write(`Audit log BROKEN, so its events prove nothing from there on: ${JSON.stringify(audit.firstProblem)}\n`);
    for (const mismatch of report.mismatches) process.stdout.write(`MISMATCH note ${mismatch.noteId} version ${mismatch.version}\n`);
    for (const problem of report.anchorProblems) process.stdout.write(`ANCHOR ${problem.kind} note ${problem.noteId} version ${problem.version}${'eventId' in problem ? ` event ${problem.eventId}` : ''}\n`);
    if (audit.isIntact && report.mismatches.length === 0 && report.anchorProblems.length === 0) {
      process.stdout.write('All signed journal text matches its signature and its sealed event.\n');
      return 0;
    }
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
