import { HyperDHT, type Address, type DHTOptions } from '@lume/dht'
import { LumeError, type Closable } from '@lume/types'
import { createDHTNode, startBootstrapNodes } from './dht.js'
import { echo, TestPeer, type ConnectionHandler } from './peer.js'

/** Options for {@link createTestnet}. */
export interface TestnetInit {
  /** Peers to start right away (each a DHT node listening on its own key). @default 0 */
  peers?: number
  /** Backbone nodes; at least 2. @default 3 */
  bootstrapNodes?: number
  /** What each peer does with an incoming connection. @default echo */
  onConnection?: ConnectionHandler
  /** Extra HyperDHT options for peers (host and bootstrap are always the testnet's). */
  peerOptions?: DHTOptions
}

/**
 * A private HyperDHT on loopback with N peers, all in this process.
 *
 * @example
 * ```ts
 * const testnet = await createTestnet({ peers: 3 })
 * const [a, b] = testnet.peers
 * console.log(await a.ping(b.publicKey), 'ms')
 * await testnet.close()
 * ```
 */
export async function createTestnet (init: TestnetInit = {}): Promise<Testnet> {
  const { nodes, bootstrap } = await startBootstrapNodes(init.bootstrapNodes ?? 3)
  const testnet = new Testnet(nodes, bootstrap, init)
  try {
    for (let i = 0; i < (init.peers ?? 0); i++) await testnet.addPeer()
  } catch (err) {
    await testnet.close()
    throw err
  }
  return testnet
}

/** A running testnet; see {@link createTestnet}. */
export class Testnet implements Closable {
  /** The bootstrap list for nodes that should join this testnet. */
  readonly bootstrap: Address[]
  /** Peers in the order they were added. */
  readonly peers: TestPeer[] = []
  private readonly backbone: HyperDHT[]
  private readonly clients: HyperDHT[] = []
  private readonly init: TestnetInit
  private closing: Promise<void> | null = null

  /** @internal Use {@link createTestnet}. */
  constructor (backbone: HyperDHT[], bootstrap: Address[], init: TestnetInit) {
    this.backbone = backbone
    this.bootstrap = bootstrap
    this.init = init
  }

  get [Symbol.toStringTag] (): string {
    return 'Testnet'
  }

  /** Start one more peer listening on `keyPair` (random by default). */
  async addPeer (keyPair = HyperDHT.keyPair(), onConnection = this.init.onConnection ?? echo): Promise<TestPeer> {
    this.assertOpen()
    const dht = createDHTNode(this.bootstrap, this.init.peerOptions)
    const server = dht.createServer({}, (socket) => {
      peer.track(socket)
      onConnection(socket)
    })
    const peer = new TestPeer(dht, keyPair, server)
    this.peers.push(peer)
    await server.listen(keyPair)
    return peer
  }

  /** A plain DHT node on this testnet (a client); closed with the testnet. */
  createNode (options: DHTOptions = {}): HyperDHT {
    this.assertOpen()
    const node = createDHTNode(this.bootstrap, options)
    this.clients.push(node)
    return node
  }

  /** Stop every peer, client and bootstrap node. Safe to call more than once. */
  close (): Promise<void> {
    this.closing ??= this.shutdown()
    return this.closing
  }

  private async shutdown (): Promise<void> {
    await Promise.allSettled(this.peers.map((p) => p.close()))
    await Promise.allSettled(this.clients.map((c) => c.destroy()))
    for (const node of this.backbone.reverse()) await node.destroy()
  }

  private assertOpen (): void {
    if (this.closing !== null) throw LumeError.closed('testnet')
  }
}
