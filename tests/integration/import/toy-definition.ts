import { sql } from 'kysely';
import { z } from 'zod';
import type { Database, Executor } from '../../../src/server/db/database';
import { appendChunk, createImport, MAX_CHUNK_BYTES } from '../../../src/server/import/engine';
import type { ImportDefinition } from '../../../src/server/import/definition';
import type { SecretBox } from '../../../src/server/auth/secret-box';
import type { TestDatabase } from '../support/test-database';

/**
 * A toy kind of import, 'test.people', so the engine is proven without the CRM: people keyed by an
 * 11-digit number, written into a table the test creates. classify matches against that table and
 * against earlier rows of the file; commit writes a batch with one statement.
 */
export interface ToyPerson {
  name: string;
  number: string;
  phone: string;
}

export async function createToyTable(database: TestDatabase): Promise<void> {
  await database.asOwner(async (db) => {
    await sql`create table toy_person (id uuid primary key default gen_random_uuid(), organisation_id uuid not null, number text not null, name text not null, phone text not null, unique (organisation_id, number))`.execute(db);
    await sql`grant select, insert, update on toy_person to journalkontor_app`.execute(db);
  });
}

export async function toyPeople(db: Executor): Promise<ToyPerson[]> {
  const result = await sql<ToyPerson>`select name, number, phone from toy_person order by number`.execute(db);
  return result.rows;
}

export function toyDefinition(
  hooks: { beforeCommit?: (rowNumbers: number[]) => void; onClassify?: (trx: Executor, rowNumbers: readonly number[]) => Promise<void> } = {},
): ImportDefinition<ToyPerson> {
  return {
    kind: 'test.people',
    fields: [
      { key: 'name', required: true, aliases: ['navn', 'fullt navn'], text: true },
      { key: 'number', required: true, aliases: ['fødselsnummer', 'fnr', 'personnummer'] },
      { key: 'phone', required: false, aliases: ['telefon', 'mobil'] },
    ],
    rowSchema: z.object({
      name: z.string().min(1, 'validation.required').max(100, 'validation.too_long'),
      number: z.string().regex(/^\d{11}$/, 'validation.nationalIdentityNumber.format'),
      phone: z.string().regex(/^(\+\d[\d ]{5,20})?$/, 'validation.phone.format'),
    }),
    display: (row) => ({ name: row.name, number: `${row.number.slice(0, 6)}*****`, phone: row.phone }),
    classify: async (trx, context, rows, seen, rowNumbers) => {
      await hooks.onClassify?.(trx, rowNumbers);
      const existing = await sql<{ id: string; number: string; name: string; phone: string }>`
        select id, number, name, phone from toy_person where organisation_id = ${context.organisationId} and number = any(${rows.map((row) => row.number)})`.execute(trx);
      const byNumber = new Map(existing.rows.map((row) => [row.number, row]));
      return rows.map((row, index) => {
        const earlier = seen.get(row.number);
        if (earlier !== undefined) return { outcome: 'skip' as const, targetId: null, duplicateOfRow: earlier };
        seen.set(row.number, rowNumbers[index]!);
        const stored = byNumber.get(row.number);
        if (!stored) return { outcome: 'create' as const, targetId: null };
        return stored.name === row.name && stored.phone === row.phone ? { outcome: 'skip' as const, targetId: stored.id } : { outcome: 'update' as const, targetId: stored.id };
      });
    },
    commit: async (trx, context, rows) => {
      hooks.beforeCommit?.(rows.map((row) => row.rowNumber));
      const creates = rows.filter((row) => row.outcome === 'create');
      if (creates.length > 0) {
        await sql`insert into toy_person (organisation_id, number, name, phone)
          select ${context.organisationId}::uuid, * from unnest(${creates.map((row) => row.row.number)}::text[], ${creates.map((row) => row.row.name)}::text[], ${creates.map((row) => row.row.phone)}::text[])`.execute(trx);
      }
      for (const row of rows.filter((entry) => entry.outcome === 'update')) {
        await sql`update toy_person set name = ${row.row.name}, phone = ${row.row.phone} where id = ${row.targetId} and organisation_id = ${context.organisationId}`.execute(trx);
      }
    },
    commitActions: ['import.committed'],
  };
}

/** Creates an import and uploads `bytes` in chunks of `chunkSize`, each chunk in its own transaction (as the procedure would). */
export async function uploadFile(
  db: Database,
  secretBox: SecretBox,
  values: { organisationId: string; userId: string; bytes: Buffer; chunkSize?: number; now: Date; fileName?: string },
): Promise<string> {
  const chunkSize = values.chunkSize ?? MAX_CHUNK_BYTES;
  const { importId } = await db.transaction().execute((trx) =>
    createImport(trx, { organisationId: values.organisationId, kind: 'test.people', targetId: null, createdBy: values.userId, fileName: values.fileName ?? 'people.csv', byteSize: values.bytes.length, now: values.now }),
  );
  for (let offset = 0, index = 0; offset < values.bytes.length; offset += chunkSize, index++) {
    const bytes = values.bytes.subarray(offset, offset + chunkSize);
    await db.transaction().execute((trx) => appendChunk(trx, secretBox, { organisationId: values.organisationId, importId, index, bytes: Buffer.from(bytes) }));
  }
  return importId;
}
