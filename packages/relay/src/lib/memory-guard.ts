import { getHeapStatistics } from 'node:v8'
import type { Logger } from '@lume/types'

/** How long one heap reading is trusted: reading it on every call would cost more than the call. */
const SAMPLE_MS = 250

/**
 * Tells whether the process is close to V8's heap limit, so the relay can
 * answer new calls `BUSY` (and log that once) instead of growing until V8
 * kills it without a word.
 */
export class MemoryGuard {
  private checkedAt = -Infinity
  private over = false

  constructor (private readonly maxHeapFraction: number, private readonly logger: Logger) {
    if (!(maxHeapFraction > 0 && maxHeapFraction <= 1)) throw new RangeError(`limits.maxHeapFraction must be in (0, 1], got ${maxHeapFraction}`)
  }

  /** True while the heap is over the limit. */
  overloaded (): boolean {
    if (this.maxHeapFraction >= 1) return false
    const now = performance.now()
    if (now - this.checkedAt < SAMPLE_MS) return this.over
    this.checkedAt = now
    const { used_heap_size: used, heap_size_limit: limit } = getHeapStatistics()
    const over = used > limit * this.maxHeapFraction
    // One line when the state changes, never one per call.
    if (over && !this.over) this.logger.error({ usedBytes: used, limitBytes: limit }, 'heap near its limit: answering new calls BUSY')
    if (!over && this.over) this.logger.warn({ usedBytes: used, limitBytes: limit }, 'heap back under its limit: serving again')
    this.over = over
    return over
  }
}
