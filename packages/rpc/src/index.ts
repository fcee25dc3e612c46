/**
 * @packageDocumentation
 * Lume's RPC: typed methods over protomux-rpc on HyperDHT's encrypted streams
 * (or any framed duplex stream), with answers a relay can sign and a client
 * can verify, streaming with backpressure, and limits on everything a peer
 * can send. See docs/protocol.md, "RPC".
 *
 * @example
 * ```ts
 * import { MethodRegistry, RpcConnection, defineMethod } from '@lume/rpc'
 * import { jsonCodec } from '@lume/types'
 *
 * const echo = defineMethod({ name: 'demo.echo', request: jsonCodec, response: jsonCodec })
 * const methods = new MethodRegistry()
 * methods.register({ ...echo, handler: (value) => value })
 *
 * // server side, for each incoming HyperDHT connection:
 * RpcConnection.open(socket, { methods, keyPair })
 * // client side:
 * const conn = RpcConnection.open(dht.connect(serverKey))
 * const { value, answer } = await conn.callSigned(echo, { hello: 'world' })
 * ```
 */
export { RpcConnection, type RpcConnectionInit, type CallOptions, type VerifiedAnswer, type FramedStream } from './lib/connection.js'
export { MethodRegistry } from './lib/registry.js'
export { defineMethod, assertMethodName } from './lib/method.js'
export { WebSocketStream, type WebSocketLike, type MessageLike } from './lib/websocket-stream.js'
export { connectWebSocket, acceptWebSocket, type NoiseStream } from './lib/websocket-noise.js'
// Types the transport's API names; their implementations are behind `@lume/rpc/signed` and `@lume/rpc/internal`.
export type { RpcLimits } from './lib/limits.js'
export type { RequestObserver } from './lib/serve.js'
export type { BudgetBook, BudgetBookInit } from './lib/budget-book.js'
export type { BatchSigner } from './lib/batch-signer.js'
export type { ConnectionBudget } from './lib/connection-budget.js'
