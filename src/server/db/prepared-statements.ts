import pg from 'pg';

/** Named statements one connection keeps at most; later new texts run unnamed, as before. */
export const PREPARED_STATEMENTS_PER_CONNECTION = 200;

/**
 * A `pg` client that prepares each parameterised statement once per connection and then only binds
 * and executes it. Kysely sends every query as text with `$n` parameters, which PostgreSQL would
 * otherwise parse, analyse and plan again on every call; on the journal read that was most of the
 * database's CPU (`npm run bench -- --only=journal`: PostgreSQL CPU per `journal.notes` call fell
 * from about 2.5 ms to 1.0 ms, and the plain page query's from 1.1 ms to 0.4 ms).
 *
 * Why it is safe:
 * - Only statements with parameters are named: `begin`, `commit` and DDL (migrations) are not.
 * - A name is bound to one text per connection (pg refuses a name reused for another text), and
 *   a connection keeps at most PREPARED_STATEMENTS_PER_CONNECTION of them, so texts that vary
 *   (an `in (…)` list of changing length) cannot grow the server's memory without bound.
 * - PostgreSQL re-plans a prepared statement by itself when a table it reads changes (DDL), and it
 *   plans the first executions with the actual values before it considers a generic plan.
 * Prepared statements live in the server session, so a connection that ends takes its own along.
 */
export class PreparedStatementClient extends pg.Client {
  private readonly statementNames = new Map<string, string>();

  // pg's query() has a dozen overloads; Kysely's driver calls only query(text, values).
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && Array.isArray(values) && values.length > 0) {
      const name = this.nameFor(config);
      if (name) return super.query({ name, text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }

  private nameFor(text: string): string | undefined {
    const known = this.statementNames.get(text);
    if (known || this.statementNames.size >= PREPARED_STATEMENTS_PER_CONNECTION) return known;
    const name = `jk_${this.statementNames.size + 1}`;
    this.statementNames.set(text, name);
    return name;
  }
}
