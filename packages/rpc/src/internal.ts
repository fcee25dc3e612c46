/**
 * @packageDocumentation
 * The transport's internals, for `@lume/relay` and tests that speak the wire
 * directly: per-peer accounting shared by a relay's connections, the frame
 * envelopes and protocol constants, limits. Not a stable API: apps use
 * `@lume/rpc`.
 *
 * @example
 * ```ts
 * import { BudgetBook } from '@lume/rpc/internal'
 * import { RpcConnection } from '@lume/rpc'
 *
 * // One book for all of a relay's connections: a peer's budget spans them.
 * const book = new BudgetBook({ budgets: { 'rpc.in-flight': { perPeer: 64 } } })
 * RpcConnection.open(socket, { methods, keyPair, book })
 * ```
 */
export { BudgetBook, type BudgetBookInit } from './lib/budget-book.js'
export { ConnectionBudget } from './lib/connection-budget.js'
export { ThrottledLog } from './lib/throttled-log.js'
export { resolveLimits, TRANSPORT_MAX_BYTES, type RpcLimits } from './lib/limits.js'
export { requestEnvelope, responseEnvelope, type RequestEnvelope, type ResponseEnvelope } from './lib/messages.js'
export { RPC_PROTOCOL, RPC_VERSION, ResponseKind, InternalMethod, DEFAULT_LIMITS, DEFAULT_BUDGETS, RpcBudget } from './lib/constants.js'
export { rawBytesCodec } from './lib/core-methods.js'
