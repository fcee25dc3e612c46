/**
 * Limits on one kind of state a remote peer can make a relay hold (open
 * streams, subscriptions, calls in flight, ...). Every unit is charged to the
 * peer's key, to its remote address (keys are free to mint, addresses are
 * not) and to the relay as a whole, and released when the peer leaves.
 */
export interface BudgetLimits {
  /** Units one connection may hold at once. */
  perPeer: number
  /** Units all connections from one remote address may hold at once. */
  perAddress: number
  /** Units the whole relay may hold at once; past it callers are answered `BUSY`. */
  global: number
}

/** A token bucket: `perSecond` refill, up to `burst` saved. */
export interface RateLimit {
  perSecond: number
  burst: number
}

/** Limits on how fast one peer, and one remote address, may spend a kind of work. */
export interface RateLimits {
  /** Per connection. */
  perPeer: RateLimit
  /** Shared by every connection from one remote address. */
  perAddress: RateLimit
}

/**
 * Work charged to one peer connection. Everything held through it is
 * released when the connection closes, so a plugin cannot leak a slot by
 * forgetting a cleanup path.
 */
export interface PeerBudget {
  /**
   * Hold `units` of `kind` until the returned function is called (calling it
   * again does nothing) or the connection closes. Throws `RATE_LIMITED` when
   * the peer or its address is at its limit, `BUSY` when the relay is, and
   * `INVALID_ARGUMENT` for a kind no one defined.
   */
  hold (kind: string, units?: number): () => void
  /**
   * Spend `cost` tokens of rate `kind`. Throws `RATE_LIMITED` when the peer's
   * or its address's bucket is empty (nothing is spent then).
   */
  spend (kind: string, cost?: number): void
}
