import { describe, expect, it } from 'vitest';
import { detectSeparator } from '../../../../src/server/import/separator';

describe('separator detection (CRM-4)', () => {
  it('finds ; in an Excel file whose cells hold decimal commas', () => {
    expect(detectSeparator('Navn;Beløp;Merknad\nÅse;12,5;ok\nPer;3,25;"a, b"\n')).toBe(';');
  });
  it('finds , when ; appears only inside quotes', () => {
    expect(detectSeparator('name,phone,note\nAse,+4791234567,"a; b"\nPer,+4798765432,"c; d; e"\n')).toBe(',');
  });
  it('finds a tab', () => {
    expect(detectSeparator('Navn\tBy\nÅse\tTromsø\n')).toBe('\t');
  });
  it('counts a quoted cell spanning lines as one record', () => {
    expect(detectSeparator('a;b;c\n1;"x\ny, z, w";3\n4;5;6\n')).toBe(';');
  });
  it('falls back to ; for a one-column file', () => {
    expect(detectSeparator('fnr\n01017012345\n')).toBe(';');
  });
});
