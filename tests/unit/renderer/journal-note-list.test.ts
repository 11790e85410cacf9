import { describe, expect, it } from 'vitest';
import { indexesToMount } from '../../../src/renderer/src/features/journal/note-list-range';

describe('indexesToMount (the virtualised note list keeps the focused card and its neighbours)', () => {
  const visible = [10, 11, 12, 13, 14];

  it('mounts the virtualiser range alone when nothing in the list has focus', () => {
    expect(indexesToMount(visible, -1, 5000)).toEqual(visible);
  });

  it('adds nothing when the focused card and its neighbours are in the range already', () => {
    expect(indexesToMount(visible, 12, 5000)).toEqual(visible);
  });

  it('keeps a focused card scrolled far away mounted, with the notes before and after it, in list order', () => {
    expect(indexesToMount(visible, 3, 5000)).toEqual([2, 3, 4, 10, 11, 12, 13, 14]);
    expect(indexesToMount(visible, 4000, 5000)).toEqual([10, 11, 12, 13, 14, 3999, 4000, 4001]);
  });

  it('adds the missing neighbour at the edge of the range (Tab on from the last mounted card)', () => {
    expect(indexesToMount(visible, 14, 5000)).toEqual([10, 11, 12, 13, 14, 15]);
    expect(indexesToMount(visible, 10, 5000)).toEqual([9, 10, 11, 12, 13, 14]);
  });

  it('stays inside the list at its first and last note', () => {
    expect(indexesToMount([20, 21], 0, 30)).toEqual([0, 1, 20, 21]);
    expect(indexesToMount([0, 1], 29, 30)).toEqual([0, 1, 28, 29]);
  });

  it('ignores a focused index the list no longer has (the note was removed or the list started over)', () => {
    expect(indexesToMount([0, 1, 2], 40, 25)).toEqual([0, 1, 2]);
  });
});
