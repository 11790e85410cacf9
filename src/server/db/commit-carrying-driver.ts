import { CompiledQuery, type DatabaseConnection, type Driver, PostgresDialect, type PostgresDialectConfig, PostgresDriver, type Transaction, type TransactionSettings } from 'kysely';

/**
 * A statement to run in the message that commits a transaction: a server-side prepared statement
 * (prepared once per connection, in the first such message) executed with one argument.
 */
export interface CarriedStatement {
  /** Its name among the connection's prepared statements (not jk_<n>: PreparedStatementClient's). */
  name: string;
  /** Its one parameter's type, e.g. 'json'. */
  parameterType: string;
  /** The statement, with $1 for the argument. */
  text: string;
  /** The argument as a complete SQL literal, already escaped. */
  argumentLiteral: string;
}

/** The statement to send with the COMMIT of the transaction in progress on this connection (see sendWithCommit). */
const carried = new WeakMap<DatabaseConnection, CarriedStatement>();
/** Connections of this driver with a transaction open: the only ones a statement can ride on. */
const inTransaction = new WeakSet<DatabaseConnection>();
/** The carried statements each connection has prepared. */
const preparedOn = new WeakMap<DatabaseConnection, Set<string>>();
/** A statement prepared in a message that then failed: PREPARE is not undone by a rollback, so look. */
const perhapsPrepared = new WeakMap<DatabaseConnection, string>();

/**
 * Kysely's PostgreSQL driver, except that the COMMIT may carry one statement before it in one
 * simple-protocol query (docs/adr/0019): `[prepare s(…) as …;] execute s(<literal>); commit`.
 * PostgreSQL runs a simple query's statements in order and, at the first error, skips the rest of
 * the text, the COMMIT included; the transaction is then aborted, the query's promise rejects, and
 * Kysely rolls back and rethrows — so a carried statement that fails leaves nothing committed, as if
 * it had been sent on its own. Connections are told apart by the object Kysely hands to the driver,
 * the same for the whole life of a pooled pg client.
 */
class CommitCarryingPostgresDriver extends PostgresDriver {
  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await super.beginTransaction(connection, settings);
    inTransaction.add(connection);
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const statement = carried.get(connection);
    carried.delete(connection);
    inTransaction.delete(connection);
    if (statement === undefined) return super.commitTransaction(connection);
    let prepared = preparedOn.get(connection);
    if (!prepared) preparedOn.set(connection, (prepared = new Set()));
    const isPrepared = prepared.has(statement.name);
    // Prepared once per connection: later commits skip parsing and planning the statement again.
    const prepare = isPrepared ? '' : `prepare ${statement.name}(${statement.parameterType}) as ${statement.text};\n`;
    try {
      // No parameters: pg sends it as a simple query (several statements allowed) and names nothing
      // (PreparedStatementClient names only parameterised statements).
      await connection.executeQuery(CompiledQuery.raw(`${prepare}execute ${statement.name}(${statement.argumentLiteral});\ncommit`));
    } catch (error) {
      if (!isPrepared) perhapsPrepared.set(connection, statement.name);
      throw error;
    }
    prepared.add(statement.name);
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    carried.delete(connection);
    inTransaction.delete(connection);
    await super.rollbackTransaction(connection);
    const name = perhapsPrepared.get(connection);
    if (name === undefined) return;
    // Only after a failed commit that prepared: did the PREPARE run before the error?
    perhapsPrepared.delete(connection);
    try {
      const { rows } = await connection.executeQuery<{ name: string }>(CompiledQuery.raw('select name from pg_prepared_statements where name = $1', [name]));
      if (rows.length > 0) preparedOn.get(connection)?.add(name);
    } catch {
      // The commit's own error is the one to report. Left unknown, the next carrying commit here
      // prepares again; should that meet "already exists", it fails closed and we look again.
    }
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
 * Has `statement` run in the same round trip as the COMMIT of `trx`, after everything else the
 * transaction does. Returns false when the transaction's connection cannot carry it (PGlite's
 * driver, which runs one statement per query): the caller then runs it itself. At most one carried
 * statement per transaction.
 */
export async function sendWithCommit(trx: Transaction<any>, statement: CarriedStatement): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]*$/.test(statement.name) || !/^[a-z_][a-z0-9_ ]*(\[\])?$/.test(statement.parameterType)) throw new Error('not a statement name or type');
  // A transaction's executor always provides its own one connection (after its queries in flight).
  return trx.getExecutor().provideConnection(async (connection) => {
    if (!inTransaction.has(connection)) return false;
    if (carried.has(connection)) throw new Error('this transaction already carries a statement to its commit');
    carried.set(connection, statement);
    return true;
  });
}
