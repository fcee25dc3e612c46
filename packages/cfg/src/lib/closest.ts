import { normalizeKey } from './schema-walk.js'

/**
 * The candidate nearest to `word` by edit distance (case, `_` and `-`
 * ignored), or null when none is close enough to be the likely intent
 * (at most a third of the word's length, and at least 1 edit, away).
 */
export function closest (word: string, candidates: readonly string[]): string | null {
  const target = normalizeKey(word)
  let best: string | null = null
  let bestDistance = Math.max(1, Math.floor(target.length / 3)) + 1
  for (const candidate of candidates) {
    const d = editDistance(target, normalizeKey(candidate))
    if (d < bestDistance) { best = candidate; bestDistance = d }
  }
  return best
}

/** Levenshtein distance with adjacent transpositions (`bootstrpa` is one edit from `bootstrap`). */
export function editDistance (a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[]
      const up = rows[i - 1] as number[]
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1)
    }
  }
  return (rows[a.length] as number[])[b.length] as number
}
