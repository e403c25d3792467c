/** Levenshtein distance, for "did you mean" hints on service and key names. */
function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The closest candidates to `word`, close enough to be a plausible typo. */
export function closest(word: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3));
  return [...candidates]
    .map((candidate) => ({candidate, d: distance(word.toLowerCase(), candidate.toLowerCase())}))
    .filter(({d, candidate}) => d <= limit || candidate.startsWith(word))
    .sort((x, y) => x.d - y.d)
    .map(({candidate}) => candidate);
}
