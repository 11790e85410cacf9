/**
 * What changed between two versions of a note (JRN-4's history): the words removed and added, in
 * order, with what stayed. A longest-common-subsequence diff over words (whitespace kept as tokens,
 * so the text reads back exactly). Small and local instead of a dependency: notes are short, and
 * the table is bounded (MAX_CELLS) so a huge rewrite degrades to lines, then to one replaced block.
 */
export interface DiffPart {
  kind: 'same' | 'added' | 'removed';
  text: string;
}

/** Above this many table cells (tokens before × tokens after) a finer diff is not attempted. */
const MAX_CELLS = 2_000_000;

export function diffWords(before: string, after: string): DiffPart[] {
  return diffTokens(before.split(/(\s+)/u), after.split(/(\s+)/u), () => diffTokens(splitLines(before), splitLines(after), () => null));
}

function splitLines(text: string): string[] {
  return text.split(/(?<=\n)/u);
}

function diffTokens(before: string[], after: string[], coarser: () => DiffPart[] | null): DiffPart[] {
  const from = before.filter((token) => token !== '');
  const to = after.filter((token) => token !== '');
  // The common start and end need no table (most amendments change a little in the middle).
  let start = 0;
  while (start < from.length && start < to.length && from[start] === to[start]) start++;
  let end = 0;
  while (end < from.length - start && end < to.length - start && from[from.length - 1 - end] === to[to.length - 1 - end]) end++;
  const middleFrom = from.slice(start, from.length - end);
  const middleTo = to.slice(start, to.length - end);
  const parts: DiffPart[] = [];
  push(parts, 'same', from.slice(0, start).join(''));
  if (middleFrom.length * middleTo.length > MAX_CELLS) {
    const coarse = coarser();
    if (coarse) return coarse;
    push(parts, 'removed', middleFrom.join(''));
    push(parts, 'added', middleTo.join(''));
  } else {
    for (const part of lcsParts(middleFrom, middleTo)) push(parts, part.kind, part.text);
  }
  push(parts, 'same', from.slice(from.length - end).join(''));
  return parts;
}

function lcsParts(from: string[], to: string[]): DiffPart[] {
  const columns = to.length + 1;
  // lengths[i * columns + j]: the longest common subsequence of from[i..] and to[j..].
  const lengths = new Uint32Array((from.length + 1) * columns);
  for (let i = from.length - 1; i >= 0; i--) {
    for (let j = to.length - 1; j >= 0; j--) {
      lengths[i * columns + j] = from[i] === to[j] ? lengths[(i + 1) * columns + j + 1]! + 1 : Math.max(lengths[(i + 1) * columns + j]!, lengths[i * columns + j + 1]!);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < from.length || j < to.length) {
    if (i < from.length && j < to.length && from[i] === to[j]) {
      push(parts, 'same', from[i++]!);
      j++;
    } else if (i < from.length && (j === to.length || lengths[(i + 1) * columns + j]! >= lengths[i * columns + j + 1]!)) {
      // Removed before added: a replaced word reads "old, then new".
      push(parts, 'removed', from[i++]!);
    } else {
      push(parts, 'added', to[j++]!);
    }
  }
  return parts;
}

/** Appends, merging with the last part of the same kind; empty text is dropped. */
function push(parts: DiffPart[], kind: DiffPart['kind'], text: string): void {
  if (text === '') return;
  const last = parts.at(-1);
  if (last?.kind === kind) last.text += text;
  else parts.push({ kind, text });
}
