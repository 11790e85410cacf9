import type { ColumnType, Generated } from 'kysely';

/**
 * The database as the application sees it, written by hand next to the migrations (one file to
 * read; kysely-codegen would need a running database and the TypeScript compiler API).
 * Columns the database fills (ids, timestamps) are Generated or never insertable.
 */
type SetByDatabase<T> = ColumnType<T, never, never>;

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  organisation_number: string | null;
  is_demo: Generated<boolean>;
  created_at: SetByDatabase<Date>;
}

export interface InstallationSettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

export interface DB {
  organisation: OrganisationTable;
  installation_setting: InstallationSettingTable;
}
