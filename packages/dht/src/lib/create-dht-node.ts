import HyperDHTImpl from 'hyperdht'
import type { DHTOptions, DhtNode, DhtNodeConstructor } from './types.js'

/**
 * hyperdht's class, typed by our own declarations. This package is the one
 * place that decides which hyperdht an app runs (see the README).
 */
export const HyperDHT: DhtNodeConstructor = HyperDHTImpl
/** A HyperDHT node (the instance type of {@link HyperDHT}). */
export type HyperDHT = DhtNode

/**
 * Start a HyperDHT node with the hyperdht version Lume is tested with.
 * Without `bootstrap` it joins the public HyperDHT; pass a bootstrap list for
 * a private network (e.g. `testnet.bootstrap` from `@lume/testnet`).
 *
 * @example
 * ```ts
 * const dht = createDhtNode()
 * const pool = new RelayPool({ dialer: dht, relays })
 * // ...
 * await dht.destroy()
 * ```
 */
export function createDhtNode (options: DHTOptions = {}): DhtNode {
  return new HyperDHT(options)
}
