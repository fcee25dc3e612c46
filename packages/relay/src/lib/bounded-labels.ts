/** The label value that stands for every label set past a metric's cap. */
export const OVERFLOW_LABEL = 'other'

/**
 * Keeps a metric's label sets bounded: the first `max` distinct sets are kept
 * as given; later ones map to one set whose values are all `other`, so label
 * values a peer influences cannot grow the relay's memory without bound.
 */
export class BoundedLabels<L extends string> {
  private readonly seen = new Set<string>()

  constructor (private readonly names: readonly L[], private readonly max: number) {}

  /** The labels to record under: `labels` if known or room is left, else the overflow set. */
  admit (labels: Partial<Record<L, string | number>> = {}): Partial<Record<L, string | number>> {
    if (this.names.length === 0) return {}
    const key = this.names.map((n) => String(labels[n] ?? '')).join('\u0000')
    if (this.seen.has(key)) return labels
    if (this.seen.size < this.max) {
      this.seen.add(key)
      return labels
    }
    return Object.fromEntries(this.names.map((n) => [n, OVERFLOW_LABEL])) as Partial<Record<L, string>>
  }
}
