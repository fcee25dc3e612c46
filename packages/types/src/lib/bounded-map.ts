/**
 * A Map that never holds more than `maxSize` keys: setting a new key over
 * the cap drops the oldest one, and setting a key again makes it the newest.
 * For state a peer can grow (verdicts, last-seen times, verified nodes), so
 * its size is fixed whatever the peer sends.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  /** Most keys held (Infinity: unbounded, for a caller that opts out). */
  readonly maxSize: number

  constructor (maxSize: number) {
    super()
    if (!(Number.isSafeInteger(maxSize) || maxSize === Infinity) || maxSize < 0) throw new RangeError(`maxSize must be a non-negative integer or Infinity, got ${maxSize}`)
    this.maxSize = maxSize
  }

  /** Set `key` as the newest entry, dropping the oldest ones over the cap. */
  override set (key: K, value: V): this {
    // Map's constructor calls set() before maxSize exists; there is nothing to bound then.
    if (this.maxSize === undefined) return super.set(key, value)
    super.delete(key)
    super.set(key, value)
    while (this.size > this.maxSize) super.delete(this.keys().next().value as K)
    return this
  }
}
