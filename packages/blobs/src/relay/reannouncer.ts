/** What a {@link Reannouncer} needs. */
export interface ReannouncerInit {
  /** A round over every held blob starts this often, ms; each round is spread over its first half. */
  periodMs: number
  /** Most hashes sent at once. */
  batch: number
  /** Blobs held now (sizes a round's steps). */
  count: () => number
  /** Every held blob, lazily (a live iterator: nothing is copied up front). */
  hashes: () => Iterator<Uint8Array>
  /** Send one batch. */
  send: (hashes: Uint8Array[]) => void
}

/**
 * Re-announces every held blob once per period, a batch at a time spread over
 * the first half of the period: a store of a million small blobs costs one
 * batch of memory and a millisecond of the event loop per step, not a million
 * arrays and seconds at once. A round ends when the iterator does, or after
 * twice its planned steps (blobs used during a round move to the end of the
 * store's order and may come again; they cannot keep a round going).
 */
export class Reannouncer {
  private timer: ReturnType<typeof setTimeout> | null = null
  private running = false

  constructor (private readonly init: ReannouncerInit) {}

  /** Start the first round now. */
  start (): void {
    this.running = true
    this.round()
  }

  /** Stop; a round under way ends here. */
  stop (): void {
    this.running = false
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
  }

  private round (): void {
    const { periodMs, batch } = this.init
    const steps = Math.max(1, Math.ceil(this.init.count() / batch))
    const stepMs = periodMs / 2 / steps
    const iterator = this.init.hashes()
    let taken = 0
    const tick = (): void => {
      if (!this.running) return
      const hashes: Uint8Array[] = []
      let done = false
      while (hashes.length < batch) {
        const next = iterator.next()
        if (next.done === true) { done = true; break }
        hashes.push(next.value)
      }
      if (hashes.length > 0) this.init.send(hashes)
      taken++
      // Whole milliseconds from the round's start, so rounding never drifts: step i at floor(i × stepMs).
      const at = Math.floor((taken - 1) * stepMs)
      if (done || taken >= 2 * steps) this.schedule(() => this.round(), Math.max(0, periodMs - at))
      else this.schedule(tick, Math.floor(taken * stepMs) - at)
    }
    tick()
  }

  private schedule (fn: () => void, ms: number): void {
    if (!this.running) return
    this.timer = setTimeout(fn, ms)
    this.timer.unref?.()
  }
}
