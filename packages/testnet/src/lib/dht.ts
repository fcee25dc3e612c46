import { HyperDHT, type Address, type DHTOptions } from '@lume/dht'

/** Testnets bind and talk on loopback only: never the public bootstrap nodes, never the LAN. */
export const LOOPBACK = '127.0.0.1'

/**
 * A HyperDHT node on the given private bootstrap list, bound to loopback.
 * Passing `bootstrap` always (even empty) keeps hyperdht from falling back to
 * the public bootstrap nodes.
 */
export function createDHTNode (bootstrap: Address[], options: DHTOptions = {}): HyperDHT {
  return new HyperDHT({ host: LOOPBACK, ...options, bootstrap })
}

/**
 * Start `count` non-ephemeral DHT nodes that form the network's backbone.
 * The first bootstraps from nobody; the rest from the first. Returns the
 * nodes and the bootstrap list everyone else uses.
 */
export async function startBootstrapNodes (count: number): Promise<{ nodes: HyperDHT[], bootstrap: Address[] }> {
  if (!Number.isInteger(count) || count < 2) throw new RangeError(`a testnet needs at least 2 bootstrap nodes (hyperdht cannot connect through 1), got ${count}`)
  const nodes: HyperDHT[] = []
  try {
    const first = createDHTNode([], { ephemeral: false, firewalled: false })
    nodes.push(first)
    await first.ready()
    const bootstrap: Address[] = [{ host: LOOPBACK, port: first.address().port }]
    while (nodes.length < count) {
      const node = createDHTNode(bootstrap, { ephemeral: false, firewalled: false })
      nodes.push(node)
      await node.ready()
    }
    return { nodes, bootstrap }
  } catch (err) {
    await Promise.allSettled(nodes.map((n) => n.destroy()))
    throw err
  }
}
