import { stringify } from 'csv-stringify/sync';
import { neutraliseExportedCell } from './formula';

/** Excel in Norway opens a `;`-separated file with a BOM as UTF-8 in columns, without an import dialog. */
const UTF8_BOM = '\uFEFF';

export interface ProblemRow {
  cells: readonly string[];
  errors: readonly { field: string; messageKey: string }[];
}

/**
 * The rows an import refused, as a file the user fixes and imports again (CRM-4): the original
 * header and cells, plus an error column worded by the caller (`describeError`, in the user's
 * language). Every cell is neutralised: the file goes back into Excel.
 */
export class ProblemRowsCsv {
  private readonly parts: string[] = [];

  constructor(
    header: readonly string[],
    private readonly describeError: (field: string, messageKey: string) => string,
    errorsColumn = 'errors',
  ) {
    this.parts.push(UTF8_BOM, this.lines([[...header, errorsColumn]]));
  }

  add(rows: readonly ProblemRow[]): void {
    if (rows.length === 0) return;
    this.parts.push(this.lines(rows.map((row) => [...row.cells, row.errors.map((error) => this.describeError(error.field, error.messageKey)).join('; ')])));
  }

  toString(): string {
    return this.parts.join('');
  }

  private lines(records: readonly (readonly string[])[]): string {
    return stringify(
      records.map((record) => record.map(neutraliseExportedCell)),
      { delimiter: ';', record_delimiter: 'windows', quoted_match: /[\r\n;"]/ },
    );
  }
}
