/**
 * Sequence numbers from the clock, in microseconds since the epoch, strictly
 * increasing: a node that restarts continues above where it stopped (given a
 * clock that does not run backwards by more than the time it was down), so
 * its new packets are never taken for replays.
 */
export class ClockSequence {
  private last = 0

  next (nowMs = Date.now()): number {
    this.last = Math.max(this.last + 1, Math.floor(nowMs * 1000))
    return this.last
  }
}

/** The wall-clock time (ms) a sequence number stands for. */
export function sequenceTime (seq: number): number {
  return Math.floor(seq / 1000)
}
