/**
 * @packageDocumentation
 * From a relay's public key to where it can be reached. Sources — the DHT,
 * invite links, static lists, IRC (`@lume/peer-discovery/node`) — are asked
 * in parallel, each with a timeout; the first valid answer wins. Every answer
 * is the relay's own signed, timestamped record, so no source can point a
 * client elsewhere or replay an old address.
 *
 * @example
 * ```ts
 * import { PeerDiscovery, DhtSource, StaticSource, openInvite } from '@lume/peer-discovery'
 *
 * const discovery = new PeerDiscovery()
 * discovery.register('dht', new DhtSource(dht))
 * discovery.register('invite', new StaticSource(openInvite(link).records))
 * const { record, source } = await discovery.discover(relayKey, { timeoutMs: 5000 })
 * ```
 */
export { PeerDiscovery, type DiscoverySource, type PeerDiscoveryInit, type Discovered } from './lib/discovery.js'
export { signRecord, signRecordWith, verifyRecord, encodeRecord, decodeRecord, recordCodec, RECORD_VERSION, MAX_ADDRESSES, MAX_ADDRESS_BYTES, type PeerRecord, type SignedPeerRecord } from './lib/record.js'
export { StaticSource } from './lib/static-source.js'
export { DhtSource, putRecordOnDht, type MutableStore } from './lib/dht-source.js'
export { createInvite, createShortInvite, openInvite, MAX_INVITE_RECORDS, MAX_INVITE_LINK_CHARS, type OpenedInvite } from './lib/invite.js'
export { toBase64url, fromBase64url } from './lib/base64url.js'
export { webSocketEndpoints } from './lib/endpoints.js'
