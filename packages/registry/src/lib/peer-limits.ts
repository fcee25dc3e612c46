import { ErrorCode, LumeError, toHex } from '@lume/types'

interface Bucket { tokens: number, at: number }

/** Per-peer speed bumps: a token bucket for writes, a cap on open subscriptions. */
export class PeerLimits {
  private readonly buckets = new Map<string, Bucket>()
  private readonly subscriptions = new Map<string, number>()

  constructor (private readonly rate: { perSecond: number, burst: number }, private readonly maxSubscriptions: number) {}

  /** Take a write token for `peer`; false when it is writing too fast. */
  takeSet (peer: Uint8Array, now = Date.now()): boolean {
    const key = toHex(peer)
    const bucket = this.buckets.get(key) ?? { tokens: this.rate.burst, at: now }
    bucket.tokens = Math.min(this.rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.rate.perSecond)
    bucket.at = now
    this.buckets.set(key, bucket)
    if (bucket.tokens < 1) return false
    bucket.tokens--
    return true
  }

  /** Count a new subscription for `peer` (throws `RATE_LIMITED` over the cap); returns its release. */
  openSubscription (peer: Uint8Array): () => void {
    const key = toHex(peer)
    const open = this.subscriptions.get(key) ?? 0
    if (open >= this.maxSubscriptions) throw new LumeError(ErrorCode.RATE_LIMITED, `too many open subscriptions (limit ${this.maxSubscriptions})`)
    this.subscriptions.set(key, open + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.subscriptions.get(key) ?? 1) - 1
      if (left <= 0) this.subscriptions.delete(key)
      else this.subscriptions.set(key, left)
    }
  }
}
