/**
 * A token bucket: `perSecond` tokens refill continuously up to `burst`.
 * Pure arithmetic on the clock you pass, so tests need no timers.
 */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor (private readonly perSecond: number, private readonly burst: number, now = Date.now()) {
    this.tokens = burst
    this.last = now
  }

  /** Take `cost` tokens (default 1); false, and nothing taken, when there are not enough. */
  take (now = Date.now(), cost = 1): boolean {
    this.refill(now)
    if (this.tokens < cost) return false
    this.tokens -= cost
    return true
  }

  /** True when `cost` tokens could be taken now (nothing is taken). */
  canTake (now = Date.now(), cost = 1): boolean {
    this.refill(now)
    return this.tokens >= cost
  }

  /** True when the bucket is full again (nothing to remember: it can be dropped). */
  isFull (now = Date.now()): boolean {
    this.refill(now)
    return this.tokens >= this.burst
  }

  private refill (now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.perSecond)
    this.last = now
  }
}
