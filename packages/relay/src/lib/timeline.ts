/** Calls served in one wall-clock second. */
export interface Second {
  /** Unix time, seconds. */
  t: number
  /** Calls answered with a result. */
  ok: number
  /** Calls answered with an error. */
  errors: number
  /** Summed and largest time to answer, ms. */
  totalMs: number
  maxMs: number
}

/**
 * Calls per wall-clock second over the last `seconds` seconds, in a fixed
 * ring: a second without calls reads as zeros (it is not skipped), so "the
 * last 120 s" always means the last 120 seconds of the clock.
 */
export class Timeline {
  private readonly slots: Second[]

  constructor (private readonly seconds = 300, private readonly now: () => number = Date.now) {
    this.slots = Array.from({ length: seconds }, () => ({ t: -1, ok: 0, errors: 0, totalMs: 0, maxMs: 0 }))
  }

  /** Record one call that ended now. */
  record (ok: boolean, ms: number): void {
    const t = Math.floor(this.now() / 1000)
    const slot = this.slots[t % this.seconds] as Second
    if (slot.t !== t) Object.assign(slot, { t, ok: 0, errors: 0, totalMs: 0, maxMs: 0 })
    if (ok) slot.ok++
    else slot.errors++
    slot.totalMs += ms
    slot.maxMs = Math.max(slot.maxMs, ms)
  }

  /** The last `count` seconds up to now, oldest first, idle ones as zeros. */
  last (count = this.seconds): Second[] {
    const n = Math.min(count, this.seconds)
    const end = Math.floor(this.now() / 1000)
    const out: Second[] = []
    for (let t = end - n + 1; t <= end; t++) {
      const slot = this.slots[((t % this.seconds) + this.seconds) % this.seconds] as Second
      out.push(slot.t === t ? { ...slot } : { t, ok: 0, errors: 0, totalMs: 0, maxMs: 0 })
    }
    return out
  }
}
