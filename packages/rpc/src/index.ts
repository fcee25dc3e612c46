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
export { RpcConnection, nothing, type RpcConnectionInit, type CallOptions, type VerifiedAnswer, type FramedStream } from './lib/connection.js'
export { MethodRegistry } from './lib/registry.js'
export { WebSocketStream, type WebSocketLike, type MessageLike } from './lib/websocket-stream.js'
export { connectWebSocket, acceptWebSocket, type NoiseStream } from './lib/websocket-noise.js'
export { ThrottledLog } from './lib/throttled-log.js'
export { BudgetBook, type BudgetBookInit } from './lib/budget-book.js'
export { ConnectionBudget } from './lib/connection-budget.js'
export type { RequestObserver } from './lib/serve.js'
export { defineMethod, assertMethodName } from './lib/method.js'
export { requestHash, answerMessage, answerLeaf, signRoot, verifyAnswer, VerifiedRoots, type WalkState } from './lib/signed-answer.js'
export { buildTree, rootFromProof, walkProof, STOPPED, leafHash, nodeHash, MAX_TREE_LEAVES, type ProofVisitor } from './lib/merkle.js'
export { BatchSigner } from './lib/batch-signer.js'
export { resolveLimits, TRANSPORT_MAX_BYTES, type RpcLimits } from './lib/limits.js'
export { requestEnvelope, responseEnvelope, proofCodec, answerSignatureCodec, type RequestEnvelope, type ResponseEnvelope, type AnswerSignature } from './lib/messages.js'
export { RPC_PROTOCOL, RPC_VERSION, ResponseKind, InternalMethod, DEFAULT_LIMITS, DEFAULT_BUDGETS, RpcBudget } from './lib/constants.js'
export { CoreMethods, verifyBroadcast, rawBytesCodec, MAX_BROADCAST_RELAYS, type RelayInfo, type BroadcastRequest, type BroadcastEntry, type VerifiedBroadcastEntry } from './lib/core-methods.js'
