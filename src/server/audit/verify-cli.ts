// `npm run audit:verify`: seal what is pending, then prove the audit log intact or name the first
// broken event (AUD-4, DPO-8). Exit code 0 when intact, 1 when not, 2 when it could not run.
import { loadConfig } from '../config';
import { databaseTargetOf, openApplicationDatabase } from '../db/open';
import { describeErrorForLog } from '../log';
import { sealPendingEvents } from './seal';
import { verifyAuditLog } from './verify';

async function main(): Promise<number> {
  const config = loadConfig();
  const database = await openApplicationDatabase(databaseTargetOf(config, { poolSize: 2 }));
  try {
    const sealed = await sealPendingEvents(database.db);
    const started = performance.now();
    const report = await verifyAuditLog(database.db);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(report.checkedEvents / seconds) : report.checkedEvents;
    process.stdout.write(`Sealed ${sealed} new events. Checked ${report.checkedEvents} events in ${report.sealCount} seals in ${seconds.toFixed(2)} s (${rate} events/s); ${report.pendingEvents} pending.\n`);
    if (report.isIntact) {
      process.stdout.write('Audit log intact.\n');
      return 0;
    }
    process.stdout.write(`Audit log BROKEN: ${JSON.stringify(report.firstProblem)}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`audit:verify could not run: ${JSON.stringify(describeErrorForLog(error))}\n`);
    process.exit(2);
  },
);
