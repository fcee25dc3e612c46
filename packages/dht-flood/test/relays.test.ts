import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '@lume/testnet'
import { createRelay, type Relay } from '@lume/relay'
import { keyPairFromSeed, type KeyPair } from '@lume/crypto'
import { Flood, floodPlugin } from '../src/index.js'

const N = 20
const text = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A relay running the flood plugin, and what its flood delivered. */
interface Node { relay: Relay, flood: Flood, keyPair: KeyPair, got: string[] }

async function startNode (testnet: Testnet, keyPair: KeyPair): Promise<Node> {
  // A ring of 20 is 10 hops across: above the default reach.
  const flood = new Flood({ keyPair, maxTtl: N })
  const got: string[] = []
  flood.on('message', ({ payload }) => got.push(new TextDecoder().decode(payload)))
  const relay = await createRelay({ keyPair, bootstrap: testnet.bootstrap, host: '127.0.0.1', announce: false, plugins: [floodPlugin(flood)] })
  return { relay, flood, keyPair, got }
}

async function waitFor (check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// Real relays on a private HyperDHT, connected in a ring (each to its two
// neighbours only): the flood plugin must carry packets hop by hop.
describe('flooding across 20 relays in a ring', () => {
  let testnet: Testnet
  const nodes: Node[] = []
  const keys = Array.from({ length: N }, (_, i) => keyPairFromSeed(new Uint8Array(32).fill(i + 1)))

  const connectRing = async (): Promise<void> => {
    await Promise.all(nodes.map(async (node, i) => await node.relay.connect(nodes[(i + 1) % N]!.relay.publicKey)))
    // Each link becomes a flood neighbour once both relays checked each other.
    await Promise.all(nodes.map(async (n) => await n.flood.whenNeighbours(2)))
    expect(nodes.map((n) => n.flood.neighbours.length)).toEqual(Array(N).fill(2))
  }

  beforeAll(async () => {
    testnet = await createTestnet()
    for (const keyPair of keys) nodes.push(await startNode(testnet, keyPair))
    await connectRing()
  }, 60_000)
  afterAll(async () => {
    await Promise.all(nodes.map(async (n) => await n.relay.close()))
    await testnet?.close()
  }, 60_000)

  it('delivers one broadcast to all 20, exactly once each', async () => {
    nodes[0]!.flood.broadcast(text('everyone'), { ttl: N })
    await waitFor(() => nodes.slice(1).every((n) => n.got.includes('everyone')))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(nodes.map((n) => n.got.filter((g) => g === 'everyone').length)).toEqual([0, ...Array(N - 1).fill(1)])
  })

  it('with TTL 2 reaches only the nodes within 2 hops', async () => {
    nodes[0]!.flood.broadcast(text('nearby'), { ttl: 2 })
    await waitFor(() => [1, 2, 18, 19].every((i) => nodes[i]!.got.includes('nearby')))
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(nodes.map((n, i) => n.got.includes('nearby') ? i : -1).filter((i) => i >= 0)).toEqual([1, 2, 18, 19])
  })

  it('a relay restarted mid-test is heard again', async () => {
    const i = 7
    await nodes[i]!.relay.close()
    nodes[i] = await startNode(testnet, keys[i]!)
    await nodes[i]!.relay.connect(nodes[i - 1]!.relay.publicKey)
    await nodes[i]!.relay.connect(nodes[i + 1]!.relay.publicKey)
    await waitFor(() => nodes[i]!.flood.neighbours.length === 2)
    nodes[i]!.flood.broadcast(text('back'), { ttl: N })
    await waitFor(() => nodes.filter((_, j) => j !== i).every((n) => n.got.includes('back')))
  }, 30_000)
})
