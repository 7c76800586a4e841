/** Edit distance between two short strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  const [x, y] = [a.toLowerCase().split(''), b.toLowerCase().split('')];
  // One row of the DP table: row[j] = distance between x's prefix so far and y's first j characters.
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (const [i, cx] of x.entries()) {
    const next = [i + 1];
    for (const [j, cy] of y.entries()) {
      const [diag = 0, up = 0, left = 0] = [row[j], row[j + 1], next[j]];
      next.push(Math.min(up + 1, left + 1, diag + (cx === cy ? 0 : 1)));
    }
    row = next;
  }
  return row.at(-1) ?? 0;
}

/** The closest candidate to a mistyped word, if one is close enough to be a plausible typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDist) [best, bestDist] = [c, d];
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDist <= limit ? best : undefined;
}

/** A hint line: "did you mean X?" when there is a close match, else the list of choices. */
export function choiceHint(word: string, candidates: readonly string[]): string {
  const guess = didYouMean(word, candidates);
  const list = candidates.length <= 12 ? candidates.join(', ') : `${candidates.slice(0, 12).join(', ')}, ...`;
  return guess ? `did you mean "${guess}"? (choices: ${list})` : `choices: ${list}`;
}
