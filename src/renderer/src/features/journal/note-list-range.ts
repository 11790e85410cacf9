/**
 * Which note cards the virtualised list mounts: the virtualiser's range (visible cards plus
 * overscan, ascending) and, when keyboard focus is in a card outside it, that card and its two
 * neighbours. Keeping the focused card mounted keeps focus from falling back to the page when it
 * scrolls out of view (an open menu's card included); its neighbours are mounted so that Tab and
 * Shift+Tab go on to the next and previous note, which the browser then scrolls into view, rather
 * than jumping to whatever cards happen to be on screen.
 */
export function indexesToMount(range: readonly number[], focusedIndex: number, count: number): number[] {
  if (focusedIndex < 0 || focusedIndex >= count) return [...range];
  const indexes = new Set(range);
  for (const index of [focusedIndex - 1, focusedIndex, focusedIndex + 1]) {
    if (index >= 0 && index < count) indexes.add(index);
  }
  // In ascending order, as the cards stand in the DOM: the tab order follows the notes' order.
  return indexes.size === range.length ? [...range] : [...indexes].sort((a, b) => a - b);
}
