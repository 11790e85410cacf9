import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { neutraliseExportedCell, neutraliseImportedText } from '../../../../src/server/import/formula';
import { checkMapping, MAPPING_ERRORS, type ImportField, suggestMapping } from '../../../../src/server/import/mapping';
import { ProblemRowsCsv } from '../../../../src/server/import/problem-rows';
import { validateRow } from '../../../../src/server/import/validate-row';

const FIELDS: readonly ImportField[] = [
  { key: 'name', required: true, aliases: ['navn', 'fullt navn'], text: true },
  { key: 'nationalIdentityNumber', required: true, aliases: ['fødselsnummer', 'fnr', 'personnummer'] },
  { key: 'phone', required: false, aliases: ['telefon', 'mobil'] },
  { key: 'note', required: false, aliases: ['merknad'], text: true },
];

const rowSchema = z.object({
  name: z.string().min(1, 'validation.required'),
  nationalIdentityNumber: z.string().regex(/^\d{11}$/, 'validation.nationalIdentityNumber.format'),
  phone: z.string(),
  note: z.string(),
});
const definition = { fields: FIELDS, rowSchema };

describe('column mapping (CRM-4)', () => {
  it('suggests columns by alias, without case, accents or punctuation', () => {
    expect(suggestMapping(['FØDSELSNUMMER', 'Fullt navn', 'E-post', 'Mobil'], FIELDS)).toEqual({ name: 1, nationalIdentityNumber: 0, phone: 3, note: null });
    expect(suggestMapping(['fnr', 'navn'], FIELDS)).toEqual({ name: 1, nationalIdentityNumber: 0, phone: null, note: null });
    expect(suggestMapping(['Personnummer', 'Fodselsnummer'], FIELDS).nationalIdentityNumber).toBe(0);
  });

  it('refuses a mapping without a required field, with a column used twice, or with a column that does not exist', () => {
    expect(checkMapping({ name: 0, nationalIdentityNumber: 1, phone: null, note: null }, FIELDS, 2)).toEqual([]);
    expect(checkMapping({ name: 0, nationalIdentityNumber: null, phone: 0, note: 5 }, FIELDS, 2)).toEqual([
      { field: 'mapping.nationalIdentityNumber', messageKey: MAPPING_ERRORS.required },
      { field: 'mapping.phone', messageKey: MAPPING_ERRORS.duplicate },
      { field: 'mapping.note', messageKey: MAPPING_ERRORS.outOfRange },
    ]);
    expect(checkMapping({ name: 0, nationalIdentityNumber: 1, bogus: 2 }, FIELDS, 3)).toEqual([{ field: 'mapping.bogus', messageKey: MAPPING_ERRORS.unknownField }]);
  });
});

describe('row validation (CRM-4)', () => {
  const mapping = { name: 0, nationalIdentityNumber: 1, phone: 2, note: null };
  it('gives the schema the mapped cells, a missing column as ""', () => {
    expect(validateRow(['Åse', '01017012345', '+47 912 34 567'], mapping, definition)).toEqual({
      ok: true,
      value: { name: 'Åse', nationalIdentityNumber: '01017012345', phone: '+47 912 34 567', note: '' },
    });
  });
  it('reports each bad field with its translation key, never the value', () => {
    const result = validateRow(['', '123'], mapping, definition);
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'name', messageKey: 'validation.required' },
        { field: 'nationalIdentityNumber', messageKey: 'validation.nationalIdentityNumber.format' },
      ],
    });
    expect(JSON.stringify(result)).not.toContain('123');
  });
  it('turns zod prose into validation.<code>', () => {
    const strict = { fields: FIELDS, rowSchema: z.object({ name: z.string().max(2) }) };
    expect(validateRow(['Åsmund'], { name: 0 }, strict)).toEqual({ ok: false, errors: [{ field: 'name', messageKey: 'validation.too_big' }] });
  });
});

describe('formula injection (CRM-4, OWASP CSV injection)', () => {
  it('removes leading formula characters from free-text fields on import, and only there', () => {
    expect(neutraliseImportedText('=HYPERLINK("http://x")')).toBe('HYPERLINK("http://x")');
    expect(neutraliseImportedText('@SUM(A1)')).toBe('SUM(A1)');
    expect(neutraliseImportedText('\t=+-cmd')).toBe('cmd');
    expect(neutraliseImportedText('Åse')).toBe('Åse');
    const result = validateRow(['=cmd|calc', '01017012345', '+4791234567', '-2+3'], { name: 0, nationalIdentityNumber: 1, phone: 2, note: 3 }, definition);
    // The phone is not text: its + stays.
    expect(result).toEqual({ ok: true, value: { name: 'cmd|calc', nationalIdentityNumber: '01017012345', phone: '+4791234567', note: '2+3' } });
  });

  it('prefixes every exported cell starting with a formula character with a quote', () => {
    expect(['=1+1', '+47', '-5', '@x', '\tx', '\rx', 'ok', ''].map(neutraliseExportedCell)).toEqual(["'=1+1", "'+47", "'-5", "'@x", "'\tx", "'\rx", 'ok', '']);
  });

  it('writes the problem-rows file with a BOM, ; separators, the header plus an errors column, and neutralised cells', () => {
    const csv = new ProblemRowsCsv(['Navn', 'Fnr'], (field, messageKey) => `${field}: ${messageKey}`, 'Feil');
    csv.add([{ cells: ['=cmd', 'a;b'], errors: [{ field: 'name', messageKey: 'validation.x' }, { field: 'fnr', messageKey: 'validation.y' }] }]);
    csv.add([{ cells: ['Per', 'linje 1\nlinje 2'], errors: [] }]);
    expect(csv.toString()).toBe('\uFEFFNavn;Fnr;Feil\r\n\'=cmd;"a;b";"name: validation.x; fnr: validation.y"\r\nPer;"linje 1\nlinje 2";\r\n');
  });
});
