/**
 * How a resource closes, for the ones with work in flight (a relay, an RPC
 * connection): the one signature of `close()` everywhere.
 */
export interface CloseOptions {
  /** Longest wait for work in flight (requests, streams) before it is cut off, ms. @default the resource's own (a relay's `shutdownGraceMs`; 5000 for a connection) */
  graceMs?: number
  /** Why it closes, for logs and shutdown events (`relay:shutdown`). @default 'close() called' */
  reason?: string
}

/**
 * A resource that holds sockets, files or timers. `close()` is idempotent:
 * every call, concurrent or later, settles once everything is released.
 */
export interface Closable {
  /** Release everything; resolves when done. Calling it again returns the same promise. */
  close (options?: CloseOptions): Promise<void>
}

/** A service with an explicit start. Starting or stopping twice is safe. */
export interface Startable extends Closable {
  start (): Promise<void>
}
