import { ErrorCode, LumeError } from './errors.js'

/**
 * A stream that says when it is open: HyperDHT sockets, Noise secret streams,
 * WebSocket streams all emit `open`, `error` and `close`.
 */
export interface OpeningStream {
  /** Listen once for `open`, `error` or `close`. */
  once (event: 'open' | 'error' | 'close', listener: (err?: unknown) => void): unknown
  /** Stop listening, where the stream can (to leave nothing behind once settled). */
  removeListener? (event: 'open' | 'error' | 'close', listener: (err?: unknown) => void): unknown
  /** Tear the stream down. */
  destroy (err?: Error): void
}

/**
 * Resolves when `stream` opens; otherwise destroys it and rejects: `TIMEOUT`
 * after `timeoutMs`, `CONNECTION_FAILED` when it errors or closes first (a
 * LumeError it errors with, such as `HANDSHAKE_FAILED`, passes through). A
 * dial to a peer that is not there fails instead of hanging.
 *
 * @param what - names the connection in error messages, e.g. `connect to ab12…`
 */
export async function openWithin (stream: OpeningStream, timeoutMs: number, what = 'connect'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let settled = false
    const settle = (err: LumeError | null): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      stream.removeListener?.('open', onOpen)
      stream.removeListener?.('close', onClose)
      // The 'error' listener stays (a no-op once settled): an error right after
      // 'open', before the caller adds its own listener, must not crash the process.
      if (err === null) {
        resolve()
        return
      }
      stream.destroy()
      reject(err)
    }
    const onOpen = (): void => settle(null)
    const onError = (err?: unknown): void => {
      settle(LumeError.isInstance(err) ? err : new LumeError(ErrorCode.CONNECTION_FAILED, `${what} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err }))
    }
    const onClose = (): void => settle(new LumeError(ErrorCode.CONNECTION_FAILED, `${what}: closed before it opened`))
    const timer = setTimeout(() => settle(LumeError.timeout(what, timeoutMs)), timeoutMs)
    stream.once('open', onOpen)
    stream.once('error', onError)
    stream.once('close', onClose)
  })
}
