/**
 * @packageDocumentation
 * Signed multi-hop flooding across relay connections: `broadcast` reaches
 * every node within a TTL, once, forwarded to every neighbour except the one
 * it came from; forged, duplicate, replayed and over-rate packets are
 * dropped. Transport-agnostic core ({@link Flood}) plus a Protomux binding and
 * a relay plugin.
 *
 * @example
 * ```ts
 * import { Flood, floodPlugin } from '@lume/dht-flood'
 *
 * const flood = new Flood({ keyPair })
 * flood.on('message', ({ origin, payload }) => console.log('from', origin, payload))
 * const relay = await createRelay({ keyPair, bootstrap, plugins: [floodPlugin(flood)] })
 * flood.broadcast(new TextEncoder().encode('hello, swarm'), { ttl: 6 })
 * ```
 */
export { Flood } from './lib/flood.js'
export type { FloodInit, FloodEvents, FloodStats, FloodSigner, PeerTransport } from './lib/options.js'
export { attachFlood, floodPlugin, FLOOD_RATE, type AttachFloodOptions, type FloodPluginOptions } from './lib/channel.js'
export { packetCodec, packetMessage, haveCodec, FLOOD_VERSION, type Packet, type PacketId } from './lib/messages.js'
export { ClockSequence, sequenceTime } from './lib/sequence.js'
export { floodTopic, type FloodTopic } from './lib/topic.js'
