import { describe, expect, it } from 'vitest';
import {
  assignColumn,
  bytesToBase64,
  chunkRanges,
  initialMapping,
  mappingIssues,
  percent,
  stepOfStatus,
  uploadInChunks,
} from '../../../src/renderer/src/features/portal/import-upload';

const FIELDS = [
  { key: 'fullName', required: true },
  { key: 'nationalId', required: true },
  { key: 'phone', required: false },
  { key: 'email', required: false },
] as const;

describe('CRM-4: the import wizard slices the file into chunks', () => {
  it('covers every byte once, in order, with no chunk over the limit', () => {
    expect(chunkRanges(10, 4)).toEqual([
      { index: 0, start: 0, end: 4 },
      { index: 1, start: 4, end: 8 },
      { index: 2, start: 8, end: 10 },
    ]);
    expect(chunkRanges(8, 4).map((range) => range.end - range.start)).toEqual([4, 4]);
    expect(chunkRanges(0, 4)).toEqual([]);
    expect(() => chunkRanges(10, 0)).toThrow(RangeError);
  });

  it('encodes bytes as base64 exactly as Node does, also past the argument-stack slice', () => {
    const bytes = new Uint8Array(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 256;
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array())).toBe('');
    // Windows-1252 "æøå;" stays bytes, not re-encoded text.
    expect(bytesToBase64(new Uint8Array([0xe6, 0xf8, 0xe5, 0x3b]))).toBe(Buffer.from([0xe6, 0xf8, 0xe5, 0x3b]).toString('base64'));
  });

  it('uploads the chunks in order; the server gets back the original bytes, progress ends at the size', async () => {
    const content = new Uint8Array(1_000_003);
    for (let i = 0; i < content.length; i++) content[i] = (i * 13) % 251;
    const received: { index: number; bytes: Buffer }[] = [];
    const progress: number[] = [];
    await uploadInChunks(
      new Blob([content]),
      256 * 1024,
      async (index, base64) => {
        received.push({ index, bytes: Buffer.from(base64, 'base64') });
      },
      (sent) => progress.push(sent),
    );
    expect(received.map((chunk) => chunk.index)).toEqual([0, 1, 2, 3]);
    expect(Math.max(...received.map((chunk) => chunk.bytes.length))).toBeLessThanOrEqual(256 * 1024);
    expect(Buffer.concat(received.map((chunk) => chunk.bytes)).equals(Buffer.from(content))).toBe(true);
    expect(progress.at(-1)).toBe(content.length);
  });

  it('stops between chunks when aborted', async () => {
    const controller = new AbortController();
    const sent: number[] = [];
    const upload = uploadInChunks(new Blob([new Uint8Array(30)]), 10, async (index) => {
      sent.push(index);
      controller.abort();
    }, () => {}, controller.signal);
    await expect(upload).rejects.toThrow();
    expect(sent).toEqual([0]);
  });
});

describe('CRM-4: the column mapping', () => {
  it('starts from the suggestion, ignoring columns the header does not have', () => {
    expect(initialMapping(FIELDS, { fullName: 0, nationalId: 2, phone: 7 }, 3)).toEqual({ fullName: 0, nationalId: 2, phone: null, email: null });
  });

  it('moves a column from the field that had it, so no column feeds two fields', () => {
    const start = { fullName: 0, nationalId: 1, phone: null, email: null };
    expect(assignColumn(start, 'phone', 1)).toEqual({ fullName: 0, nationalId: null, phone: 1, email: null });
    expect(assignColumn(start, 'fullName', null)).toEqual({ fullName: null, nationalId: 1, phone: null, email: null });
  });

  it('names a missing required field and a column used twice, with the server\'s keys', () => {
    expect(mappingIssues({ fullName: 0, nationalId: null, phone: null, email: null }, FIELDS)).toEqual([
      { field: 'mapping.nationalId', messageKey: 'validation.import.column_required' },
    ]);
    expect(mappingIssues({ fullName: 0, nationalId: 1, phone: 1, email: null }, FIELDS)).toEqual([
      { field: 'mapping.phone', messageKey: 'validation.import.column_used_twice' },
    ]);
    expect(mappingIssues({ fullName: 0, nationalId: 1, phone: null, email: 2 }, FIELDS)).toEqual([]);
  });

  it('resumes an import at the step of its state; progress is a bounded percentage', () => {
    expect(['uploading', 'validating', 'ready', 'committing', 'done', 'failed'].map(stepOfStatus)).toEqual(['file', 'validation', 'validation', 'commit', 'commit', 'file']);
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 0)).toBe(0);
    expect(percent(5, null)).toBe(0);
    expect(percent(12, 10)).toBe(100);
  });
});
