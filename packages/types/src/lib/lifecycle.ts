/** A resource that holds sockets, files or timers. `close()` is idempotent. */
export interface Closable {
  /** Release everything; resolves when done. Calling it again returns the same promise. */
  close (): Promise<void>
}

/** A service with an explicit start. Starting or stopping twice is safe. */
export interface Startable extends Closable {
  start (): Promise<void>
}
