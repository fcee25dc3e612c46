import { ErrorCode, LumeError, type WireError } from '@lume/types'

/**
 * A LumeError for what protomux-rpc itself reports: its own error strings
 * (unknown method), its timeouts and closed channels.
 */
export function fromTransportError (err: unknown, method: string): LumeError {
  if (LumeError.isInstance(err)) return err
  const e = err as { code?: string, message?: string }
  const message = e?.message ?? String(err)
  if (/unknown method|UNKNOWN_METHOD/i.test(message)) return new LumeError(ErrorCode.UNKNOWN_METHOD, `unknown method ${method}`)
  switch (e?.code) {
    case 'TIMEOUT_EXCEEDED': return new LumeError(ErrorCode.TIMEOUT, `${method} timed out`, { cause: err })
    case 'CHANNEL_CLOSED':
    case 'CHANNEL_DESTROYED': return new LumeError(ErrorCode.CONNECTION_FAILED, `connection closed during ${method}`, { cause: err })
    case 'DECODE_ERROR': return new LumeError(ErrorCode.BAD_FRAME, `${method}: the server could not decode the request`, { cause: err })
    default: return new LumeError(ErrorCode.REMOTE_ERROR, `${method} failed: ${message}`, { cause: err })
  }
}

/**
 * What the server sends back for a failure: a LumeError keeps its code and
 * message; anything else becomes a REMOTE_ERROR without details (those go to
 * the server's log, never to the peer).
 */
export function toWireError (err: unknown, method: string): WireError {
  if (LumeError.isInstance(err)) return { code: err.code, message: err.message }
  return { code: ErrorCode.REMOTE_ERROR, message: `internal error in ${method}` }
}
