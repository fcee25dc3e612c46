import { DEFAULT_LIMITS } from './constants.js'

/** Limits one connection enforces. Each has a default in {@link DEFAULT_LIMITS}. */
export interface RpcLimits {
  /** Largest request value accepted (and sent), bytes. Must stay under 16 MiB, where the transport drops the connection. @default 1 MiB */
  maxRequestBytes: number
  /** Largest unary answer, bytes; bigger results must stream. @default 8 MiB */
  maxResponseBytes: number
  /**
   * Requests (stream pulls included) a peer may have running at once; more are
   * answered `RATE_LIMITED`. With a BudgetBook the book's `rpc.calls` budget applies instead. @default 128
   */
  maxInFlight: number
  /** A handler running longer is abandoned and answered `TIMEOUT`. @default 30000 */
  handlerTimeoutMs: number
  /** A call with no answer by then fails with `TIMEOUT`. @default 10000 */
  callTimeoutMs: number
  /** A stream with no pull waiting for this long is closed (a waiting pull never times out). @default 30000 */
  streamIdleMs: number
  /** Streams open at once per connection. With a BudgetBook the book's `rpc.streams` budget applies instead. @default 32 */
  maxStreams: number
  /** `$stream.next` pulls waiting on one stream; more are answered `RATE_LIMITED` (clients prefetch 4). @default 8 */
  maxPendingPulls: number
  /** Keep-alive interval on streams that support it (HyperDHT's). @default 5000 */
  keepAliveMs: number
  /** A peer silent this long (no data, no keep-alive) is dropped. 0 disables. @default 15000 */
  idleTimeoutMs: number
}

/** The transport's frame limit (16 MiB − 1) less room for headers. */
export const TRANSPORT_MAX_BYTES = 16 * 1024 * 1024 - 1 - 1024

/** Fill in defaults and check that the limits make sense. */
export function resolveLimits (partial: Partial<RpcLimits> = {}): RpcLimits {
  const limits: RpcLimits = { ...DEFAULT_LIMITS, ...partial }
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`limits.${key} must be a non-negative number, got ${value}`)
  }
  if (limits.maxRequestBytes > TRANSPORT_MAX_BYTES) throw new RangeError(`limits.maxRequestBytes must be at most ${TRANSPORT_MAX_BYTES} (the transport drops bigger frames)`)
  if (limits.maxResponseBytes > TRANSPORT_MAX_BYTES) throw new RangeError(`limits.maxResponseBytes must be at most ${TRANSPORT_MAX_BYTES} (the transport drops bigger frames)`)
  return limits
}
