/** A token bucket: `perSecond` tokens refill continuously up to `burst`. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor (private readonly perSecond: number, private readonly burst: number, now = Date.now()) {
    this.tokens = burst
    this.last = now
  }

  /** Take one token; false when the bucket is empty. */
  take (now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
