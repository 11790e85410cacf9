import { CompiledQuery, type DatabaseConnection, type Driver, PostgresDialect, type PostgresDialectConfig, PostgresDriver, type Transaction, type TransactionSettings } from 'kysely';

/**
 * A statement to send in the same message as the COMMIT of the transaction in progress on this
 * connection (see sendWithCommit). Kept per connection object, which Kysely hands to the driver's
 * commitTransaction/rollbackTransaction unchanged.
 */
const carried = new WeakMap<DatabaseConnection, string>();
/** Connections of this driver with a transaction open: the only ones a statement can ride on. */
const inTransaction = new WeakSet<DatabaseConnection>();

/**
 * Kysely's PostgreSQL driver, except that the COMMIT may carry statements before it in one
 * simple-protocol query (docs/adr/0019): `<statements>; commit`. PostgreSQL runs a simple query's
 * statements in order and, at the first error, skips the rest of the text, the COMMIT included; the
 * transaction is then aborted, the query's promise rejects, and Kysely rolls back and rethrows — so a
 * carried statement that fails leaves nothing committed, as if it had been sent on its own.
 */
class CommitCarryingPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    inTransaction.add(connection);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const statements = carried.get(connection);
    this.forget(connection);
    if (statements === undefined) return super.commitTransaction(connection);
    // No parameters: pg sends it as a simple query (several statements allowed) and names nothing
    // (PreparedStatementClient names only parameterised statements).
    await connection.executeQuery(CompiledQuery.raw(`${statements};\ncommit`));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    this.forget(connection);
    await super.rollbackTransaction(connection);
  }

  private forget(connection: DatabaseConnection): void {
    carried.delete(connection);
    inTransaction.delete(connection);
  }
}

/** PostgresDialect with the driver above; everything else is Kysely's. */
export class CommitCarryingPostgresDialect extends PostgresDialect {
  constructor(private readonly driverConfig: PostgresDialectConfig) {
    super(driverConfig);
  }

  override createDriver(): Driver {
    return new CommitCarryingPostgresDriver(this.driverConfig);
  }
}

/**
 * Has `statements` (complete SQL, no parameters, values already escaped as literals) sent in the
 * same round trip as the COMMIT of `trx`, after everything else the transaction does. Returns false
 * when the transaction's connection cannot carry it (PGlite's driver, which runs one statement per
 * query): the caller then sends the statements itself. At most one carried text per transaction.
 */
export async function sendWithCommit(trx: Transaction<any>, statements: string): Promise<boolean> {
  // A transaction's executor always provides its own one connection (waiting for its queries in flight).
  return trx.getExecutor().provideConnection(async (connection) => {
    if (!inTransaction.has(connection)) return false;
    if (carried.has(connection)) throw new Error('this transaction already carries statements to its commit');
    carried.set(connection, statements);
    return true;
  });
}
