/**
 * Sequence numbers from the clock, in microseconds since the epoch, strictly
 * increasing: a node that restarts continues above where it stopped (given a
 * clock that does not run backwards by more than the time it was down), so
 * its new packets are never taken for replays.
 */
export class ClockSequence {
  private last = 0

  next (nowMs = preciseNowMs()): number {
    this.last = Math.max(this.last + 1, Math.floor(nowMs * 1000))
    return this.last
  }
}

// Date.now() has whole-millisecond resolution, so a node restarted within the
// same millisecond would reuse its last number; the high-resolution clock
// gives real microseconds (works in Node and browsers).
function preciseNowMs (): number {
  return performance.timeOrigin + performance.now()
}

/** The wall-clock time (ms) a sequence number stands for. */
export function sequenceTime (seq: number): number {
  return Math.floor(seq / 1000)
}
