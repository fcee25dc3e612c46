import { backoffDelay } from '@lume/types'

/** What the pool knows about one relay. */
export class RelayState {
  /** Smoothed round-trip time, ms (null until measured). */
  latencyMs: number | null = null
  /** Methods from its `core.info` (null until learned). */
  methods: Set<string> | null = null
  /** Failures in a row; reset on success. */
  failures = 0
  /** Timeouts and lags; a relay that lags repeatedly sinks in the order. */
  lags = 0
  /** Not tried again before this time (ms since the epoch). */
  retryAt = 0

  constructor (readonly publicKey: Uint8Array, readonly id: string) {}

  /** Usable now: not failing, or its backoff is over. */
  available (now = Date.now()): boolean {
    return this.failures === 0 || now >= this.retryAt
  }

  supports (method: string): boolean {
    return this.methods === null || this.methods.has(method)
  }

  /** A successful call that took `ms`. */
  succeeded (ms: number): void {
    this.failures = 0
    this.latencyMs = this.latencyMs === null ? ms : this.latencyMs * 0.8 + ms * 0.2
  }

  /** A failed call: back off exponentially (`initialMs` · 2^failures, capped). */
  failed (initialMs: number, maxMs: number, now = Date.now()): void {
    this.failures++
    this.retryAt = now + backoffDelay(this.failures, initialMs, maxMs)
  }

  /** Sort key: healthy and fast first; lagging relays are demoted. */
  score (): number {
    return (this.latencyMs ?? 50) * (1 + this.lags) + this.failures * 10_000
  }
}
