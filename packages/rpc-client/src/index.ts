/**
 * @packageDocumentation
 * The client apps use to talk to relays: a pool that connects, learns what
 * each relay serves, tracks health and latency and backs off from failing
 * relays; `call` for one answer, and `query` to accept an answer only when k of
 * n independent relays — each asked directly, each answer signed over this
 * request — agree. Works in Node and browsers (give it a browser's relayed DHT).
 *
 * @example
 * ```ts
 * import { RelayPool } from '@lume/rpc-client'
 *
 * const pool = new RelayPool({ dialer: dht, relays: [a, b, c, d, e] })
 * const { value, agreeing } = await pool.query(priceSpec, 'LUME', { quorum: 3, of: 5 })
 * ```
 */
export { RelayPool, type RelayPoolInit, type QueryOptions, type QuorumAnswer, type Dialer } from './lib/pool.js'
export { webSocketDialer, type WebSocketDialer, type WebSocketDialerInit, type WebSocketConstructor } from './lib/websocket-dialer.js'
export { QuorumTally, type Vote } from './lib/quorum.js'
export { RelayState } from './lib/relay-state.js'
