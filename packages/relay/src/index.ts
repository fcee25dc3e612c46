/**
 * @packageDocumentation
 * The Lume relay: a HyperDHT server on its own key that serves RPC from
 * plugins (plus `core.ping`, `core.info`, `rpc.broadcast`), with a CLI,
 * `lume-relay`. Plugins get a scoped {@link @lume/types!PluginAPI}.
 *
 * @example
 * ```ts
 * import { createRelay } from '@lume/relay'
 * import { PLUGIN_API_VERSION, jsonCodec } from '@lume/types'
 * import { keyPairFromMnemonic } from '@lume/crypto'
 *
 * const relay = await createRelay({
 *   keyPair: keyPairFromMnemonic(mnemonic),
 *   bootstrap: [{ host: '127.0.0.1', port: 49737 }],
 *   plugins: [{
 *     name: 'hello', apiVersion: PLUGIN_API_VERSION,
 *     start (api) { api.registerMethod({ name: 'greet', request: jsonCodec, response: jsonCodec, handler: (who) => `hello ${who}` }) }
 *   }]
 * })
 * ```
 */
export { createRelay, Relay, type RelayInit } from './lib/relay.js'
export { RelayBudget, DEFAULT_RELAY_BUDGETS, DEFAULT_RELAY_RATES, DEFAULT_MAX_HEAP_FRACTION, type RelayLimits } from './lib/limits.js'
export { RELAY_VERSION } from './lib/version.js'
export { loadOrCreateIdentity, loadIdentity, IDENTITY_FILE, type Identity } from './lib/identity.js'
export { WebSocketGateway, type WebSocketOptions } from './lib/ws-gateway.js'
export { WebSocketEndpoint, resolveEndpointOptions, type WebSocketEndpointOptions, type ResolvedEndpointOptions, type EndpointStats } from './lib/ws-endpoint.js'
export { RelayMetrics, UNKNOWN_METHOD_LABEL, type RelayProbe, type Neighbour, type DhtState } from './lib/relay-metrics.js'
export { MAX_LABEL_SETS, LATENCY_BUCKETS } from './lib/plugin-metrics.js'
export { OpsServer, OPS_MAX_HEADER_BYTES, OPS_MAX_URL_CHARS, type OpsServerOptions } from './lib/ops-server.js'
export { relayStatus, type RelayStatus } from './lib/relay-status.js'
export type { Timeline, Second } from './lib/timeline.js'
export type { RecentErrors, RecentError } from './lib/recent-errors.js'
export type { TrafficMeter, ByteCounts } from './lib/traffic.js'
// The relay's core protocol, the methods every relay serves: defined beside the transport (clients call them too).
export { CoreMethods, verifyBroadcast, MAX_BROADCAST_RELAYS, type RelayInfo, type BroadcastRequest, type BroadcastEntry, type VerifiedBroadcastEntry } from '@lume/rpc/core'
