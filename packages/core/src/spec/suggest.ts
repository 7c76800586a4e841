/** Edit distance between two short strings (case-insensitive). */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
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
