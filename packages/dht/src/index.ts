/**
 * @packageDocumentation
 * The HyperDHT node every Lume package and app uses: `createDhtNode()` with
 * hyperdht pinned to the version Lume is tested with, and types for it (hyperdht
 * ships none), so apps need no hyperdht of their own.
 *
 * @example
 * ```ts
 * import { createDhtNode } from '@lume/dht'
 *
 * const dht = createDhtNode({ bootstrap: testnet.bootstrap })
 * const socket = dht.connect(relayPublicKey)
 * ```
 */
export { createDhtNode, HyperDHT } from './lib/create-dht-node.js'
export { parseAddress, parseAddresses, formatAddresses } from './lib/addresses.js'
export type {
  DhtNode, DhtNodeConstructor, KeyPair, Address, NoiseSecretStream, Server, ServerOptions,
  DHTOptions, ConnectOptions, QueryStream, UDXSocket
} from './lib/types.js'
