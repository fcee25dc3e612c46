/**
 * Packets seen recently, by (origin, sequence), in bounded memory: the
 * earliest arrivals go first when full. The set also knows how far back it
 * can still vouch for: every evicted packet's sequence is at most
 * {@link floor}, so a packet not newer than it may have
 * been seen and is refused, instead of being delivered and forwarded again.
 */
export class SeenSet {
  // Insertion order is arrival order: the first key is the earliest arrival.
  private readonly entries = new Map<string, { seq: number, at: number }>()
  private newestEvictedSeq = 0
  private newestEvictedAt = -Infinity

  /**
   * @param capacity - entries kept
   * @param maxSkewMs - how far ahead of its arrival a packet's sequence time may be (the flood's skew limit)
   */
  constructor (private readonly capacity: number, private readonly maxSkewMs: number) {}

  has (key: string): boolean {
    return this.entries.has(key)
  }

  /** Remember `key` (packet sequence `seq`, arrived at `now`), evicting the earliest arrival when full. */
  add (key: string, seq: number, now = Date.now()): void {
    if (this.entries.has(key)) return
    if (this.entries.size >= this.capacity) this.evict()
    this.entries.set(key, { seq, at: now })
  }

  /**
   * Packets whose sequence is not above this may have been evicted: an
   * evicted packet's sequence is at most the newest evicted sequence, and (it
   * passed the skew check on arrival) at most its arrival time plus the skew.
   */
  get floor (): number {
    if (this.newestEvictedSeq === 0) return -Infinity
    // Sequences are microseconds.
    return Math.min(this.newestEvictedSeq, (this.newestEvictedAt + this.maxSkewMs) * 1000)
  }

  get size (): number {
    return this.entries.size
  }

  private evict (): void {
    const first = this.entries.entries().next()
    if (first.done === true) return
    const [key, oldest] = first.value
    this.entries.delete(key)
    this.newestEvictedSeq = Math.max(this.newestEvictedSeq, oldest.seq)
    this.newestEvictedAt = Math.max(this.newestEvictedAt, oldest.at)
  }
}
