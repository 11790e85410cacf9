// `npm run audit:verify [-- --witness=<file> | --no-witness]`: seal what is pending, then prove the
// audit log intact or name the first broken event (AUD-4, DPO-8), and check the database against
// the seal witness kept outside it (ADR 0007). Exit code 0 when intact, 1 when not, 2 when it
// could not run.
import { loadConfig } from '../config';
import { databaseTargetOf, openApplicationDatabase } from '../db/open';
import { describeErrorForLog } from '../log';
import { sealPendingEvents } from './seal';
import { verifyAuditLog } from './verify';
import { WitnessAheadError } from './witness';
import { witnessPathFromArgs } from './witness-args';

async function main(): Promise<number> {
  const config = loadConfig();
  const witnessPath = witnessPathFromArgs(process.argv.slice(2), config.auditWitnessPath);
  const database = await openApplicationDatabase(databaseTargetOf(config, { poolSize: 2 }));
  try {
    let sealed = 0;
    try {
      sealed = await sealPendingEvents(database.db, { witnessPath });
    } catch (error) {
      // The database lacks what the witness saw: report it below instead of sealing over the gap.
      if (!(error instanceof WitnessAheadError)) throw error;
      process.stdout.write('Not sealing: the database does not hold the witness’s last seal.\n');
    }
    const started = performance.now();
    const report = await verifyAuditLog(database.db, { witnessPath });
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(report.checkedEvents / seconds) : report.checkedEvents;
    process.stdout.write(`Sealed ${sealed} new events. Checked ${report.checkedEvents} events in ${report.sealCount} seals in ${seconds.toFixed(2)} s (${rate} events/s); ${report.pendingEvents} pending.\n`);
    if (report.retiredEvents !== undefined) {
      process.stdout.write(`${report.retiredEvents} events of months retired after ten years are accounted for by their retirement records (DPO-6).\n`);
    }
    if (report.witness) {
      const { path, witnessedSeals, lastWitnessedSeq, witnessedRetirements } = report.witness;
      const retirements = witnessedRetirements > 0 ? `; ${witnessedRetirements} retired month${witnessedRetirements === 1 ? '' : 's'} witnessed` : '';
      process.stdout.write(`Witness ${path}: ${witnessedSeals} seals witnessed${lastWitnessedSeq ? `, the last is seal ${lastWitnessedSeq}` : ''}${retirements}.\n`);
    } else {
      process.stdout.write('No seal witness given: seals removed at the end of the log cannot be told (--witness=<file>).\n');
    }
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
