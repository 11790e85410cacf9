import { describe, expect, it } from 'vitest';
import { type DiffPart, diffWords } from '../../../src/renderer/src/features/journal/text-diff';

const textOf = (parts: DiffPart[], kinds: DiffPart['kind'][]) =>
  parts
    .filter((part) => kinds.includes(part.kind))
    .map((part) => part.text)
    .join('');

describe('the history diff (JRN-4)', () => {
  it('JRN-4: shows the changed words between what stayed', () => {
    expect(diffWords('Smerter i høyre kne, 500 mg.', 'Smerter i venstre kne, 500 mg.')).toEqual([
      { kind: 'same', text: 'Smerter i ' },
      { kind: 'removed', text: 'høyre' },
      { kind: 'added', text: 'venstre' },
      { kind: 'same', text: ' kne, 500 mg.' },
    ]);
  });

  it('JRN-4: insertions and deletions in several places, and the two texts read back exactly', () => {
    const before = 'Anamnese:\nHoste i to uker.\n\nTiltak:\nParacet.';
    const after = 'Anamnese:\nTørrhoste i to uker, feber.\n\nTiltak:\nParacet ved behov.\nKontroll om en uke.';
    const parts = diffWords(before, after);
    expect(textOf(parts, ['same', 'removed'])).toBe(before);
    expect(textOf(parts, ['same', 'added'])).toBe(after);
    expect(parts.filter((part) => part.kind === 'removed').map((part) => part.text)).toEqual(['Hoste', 'uker.', 'Paracet.']);
    expect(textOf(parts, ['added'])).toContain('Kontroll om en uke.');
  });

  it('JRN-4: equal texts are one unchanged part; an empty side is all added or all removed', () => {
    expect(diffWords('Uendret tekst.', 'Uendret tekst.')).toEqual([{ kind: 'same', text: 'Uendret tekst.' }]);
    expect(diffWords('', 'Ny tekst')).toEqual([{ kind: 'added', text: 'Ny tekst' }]);
    expect(diffWords('Gammel tekst', '')).toEqual([{ kind: 'removed', text: 'Gammel tekst' }]);
  });

  it('JRN-4: a very large rewrite falls back to lines and still reads back exactly', () => {
    const before = Array.from({ length: 1000 }, (_, index) => `linje ${index} a b c`).join('\n');
    const after = Array.from({ length: 1000 }, (_, index) => (index % 2 === 0 ? `linje ${index} a b c` : `rad ${index} x y z`)).join('\n');
    const startedAt = performance.now();
    const parts = diffWords(before, after);
    expect(performance.now() - startedAt).toBeLessThan(5000);
    expect(textOf(parts, ['same', 'removed'])).toBe(before);
    expect(textOf(parts, ['same', 'added'])).toBe(after);
    expect(parts.some((part) => part.kind === 'same' && part.text.includes('linje 2 a b c'))).toBe(true);
  });
});
