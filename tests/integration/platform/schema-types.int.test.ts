import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

/**
 * src/server/db/schema.ts is written by hand beside the migrations. This test holds it to the
 * migrated database (PGlite and PostgreSQL): the same tables, the same columns, the same
 * nullability, and a TypeScript type of the right kind for each column's PostgreSQL type. It reads
 * schema.ts with the TypeScript compiler, as Kysely sees it (`Selectable<DB[table]>`).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Tables of the migrator itself, not of the application. */
const NOT_THE_APPLICATIONS = new Set(['kysely_migration', 'kysely_migration_lock']);

interface ColumnShape {
  isNullable: boolean;
  kind: string;
}

/** What the TypeScript side says: table → column → nullability and kind. */
function columnsInSchemaTs(): Record<string, Record<string, ColumnShape>> {
  const probePath = `${ROOT}src/server/db/__schema-probe__.ts`;
  const probeSource = `import type { Selectable } from 'kysely';
import type { DB } from './schema';
export declare const probe: { [K in keyof DB]: Selectable<DB[K]> };
`;
  const options: ts.CompilerOptions = { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, noEmit: true };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => (file === probePath ? probeSource : readFile(file));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === probePath || fileExists(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language) => (file === probePath ? ts.createSourceFile(file, probeSource, language) : getSourceFile(file, language));
  const program = ts.createProgram([probePath], options, host);
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(probePath);
  if (!source) throw new Error('probe not compiled');
  const declaration = source.statements.filter(ts.isVariableStatement).flatMap((statement) => [...statement.declarationList.declarations])[0];
  if (!declaration) throw new Error('probe declaration not found');
  const tables = checker.getTypeAtLocation(declaration.name);
  const result: Record<string, Record<string, ColumnShape>> = {};
  for (const table of checker.getPropertiesOfType(tables)) {
    const row = checker.getTypeOfSymbol(table);
    const columns: Record<string, ColumnShape> = (result[table.name] = {});
    for (const column of checker.getPropertiesOfType(row)) {
      const type = checker.getTypeOfSymbol(column);
      const parts = type.isUnion() ? type.types : [type];
      const isNullable = parts.some((part) => part.flags & ts.TypeFlags.Null);
      const rest = parts.filter((part) => !(part.flags & ts.TypeFlags.Null));
      columns[column.name] = { isNullable, kind: kindOfTs(checker, rest) };
    }
  }
  return result;
}

function kindOfTs(checker: ts.TypeChecker, parts: readonly ts.Type[]): string {
  const kinds = new Set(
    parts.map((part) => {
      if (part.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral | ts.TypeFlags.TemplateLiteral)) return 'string';
      if (part.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return 'number';
      if (part.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return 'boolean';
      if (part.flags & ts.TypeFlags.Unknown || part.flags & ts.TypeFlags.Any) return 'unknown';
      if (checker.isArrayType(part)) return 'array';
      if (part.getSymbol()?.name === 'Date') return 'Date';
      return 'object';
    }),
  );
  return [...kinds].sort().join('|');
}

/** What each PostgreSQL type comes back as through pg and PGlite here. */
function kindOfPostgres(dataType: string): string[] {
  // tsvector (the CRM's search columns) comes back as its text form.
  if (['text', 'uuid', 'character', 'character varying', 'inet', 'bigint', 'numeric', 'date', 'tsvector'].includes(dataType)) return ['string'];
  // Buffer (pg) or Uint8Array (PGlite): an object either way.
  if (dataType === 'bytea') return ['object'];
  if (['integer', 'smallint', 'real', 'double precision'].includes(dataType)) return ['number'];
  if (dataType === 'boolean') return ['boolean'];
  if (dataType.startsWith('timestamp')) return ['Date'];
  if (dataType === 'jsonb' || dataType === 'json') return ['unknown', 'object', 'array'];
  if (dataType === 'ARRAY') return ['array'];
  return [dataType];
}

describe('db/schema.ts against the migrated database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });

  it('PLAT-2: every table and column in schema.ts exists with the same nullability and a type of the right kind, and nothing is missing', async () => {
    const rows = await sql<{ table_name: string; column_name: string; is_nullable: 'YES' | 'NO'; data_type: string }>`
      select c.table_name, c.column_name, c.is_nullable, c.data_type
      from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`.execute(database.db);
    const fromDatabase: Record<string, Record<string, { isNullable: boolean; kinds: string[] }>> = {};
    for (const row of rows.rows) {
      if (NOT_THE_APPLICATIONS.has(row.table_name)) continue;
      (fromDatabase[row.table_name] ??= {})[row.column_name] = { isNullable: row.is_nullable === 'YES', kinds: kindOfPostgres(row.data_type) };
    }
    const fromTypes = columnsInSchemaTs();
    expect(Object.keys(fromTypes).length, 'the probe read no tables from schema.ts').toBeGreaterThan(10);

    // Same tables and columns, both ways.
    const columnsOf = (tables: Record<string, Record<string, unknown>>) => Object.entries(tables).flatMap(([table, columns]) => Object.keys(columns).map((column) => `${table}.${column}`)).sort();
    expect(columnsOf(fromTypes)).toEqual(columnsOf(fromDatabase));

    // Nullability and kind, column by column.
    const mismatches: string[] = [];
    for (const [table, columns] of Object.entries(fromDatabase)) {
      for (const [column, actual] of Object.entries(columns)) {
        const declared = fromTypes[table]?.[column];
        if (!declared) continue;
        if (declared.isNullable !== actual.isNullable) mismatches.push(`${table}.${column}: nullable in ${actual.isNullable ? 'the database' : 'schema.ts'} only`);
        if (!actual.kinds.includes(declared.kind)) mismatches.push(`${table}.${column}: schema.ts says ${declared.kind}, the database holds ${actual.kinds.join(' or ')}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
