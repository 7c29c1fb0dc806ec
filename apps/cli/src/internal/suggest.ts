/**
 * "Did you mean": the closest known word to a mistyped one (a command, a flag), by edit distance with
 * adjacent transpositions (`lsit` -> `list` is one edit), as kubectl and git suggest. Loaded only on a usage
 * error.
 */

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring). */
export const distance = (a: string, b: string): number => {
  const d: Array<Array<number>> = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1)
      d[i]![j] = best
    }
  }
  return d[a.length]![b.length]!
}

/**
 * The known words closest to `word`: within 2 edits (1 for words of 3 letters or fewer), or those it is a
 * prefix of (`ad` -> `add`).
 */
export const suggest = (word: string, known: ReadonlyArray<string>): ReadonlyArray<string> => {
  const limit = word.replace(/^-+/, "").length <= 3 ? 1 : 2
  const scored = known
    .map((k) => ({ k, d: k.startsWith(word) && word.replace(/^-+/, "").length >= 2 ? 0.5 : distance(word, k) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d)
  const best = scored[0]?.d
  return scored.filter(({ d }) => d === best).map(({ k }) => k)
}

/** ` (did you mean "list"?)` or ``. */
export const didYouMean = (word: string, known: ReadonlyArray<string>): string => {
  const found = suggest(word, known)
  return found.length === 0 ? "" : `did you mean ${found.map((f) => `"${f}"`).join(" or ")}?`
}
