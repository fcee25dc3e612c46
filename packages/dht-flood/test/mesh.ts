import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { Flood, type FloodInit, type PeerTransport } from '../src/index.js'

/** Flood nodes wired by in-memory links (delivery on a later microtask, like a network). */
export interface Mesh {
  nodes: Flood[]
  keys: KeyPair[]
  link: (a: number, b: number) => void
  /** Wait until no packet is in transit. */
  settle: () => Promise<void>
}

export function mesh (n: number, init: Partial<FloodInit> = {}): Mesh {
  const keys = Array.from({ length: n }, () => generateKeyPair())
  const nodes = keys.map((keyPair) => new Flood({ ...init, keyPair }))
  let inFlight = 0
  const deliver = (fn: () => void): void => {
    inFlight++
    queueMicrotask(() => { inFlight--; fn() })
  }
  const link = (a: number, b: number): void => {
    const [A, B] = [nodes[a]!, nodes[b]!]
    const transport = (from: Flood, to: Flood): PeerTransport => ({
      packet: (bytes) => deliver(() => to.receivePacket(from.publicKey, bytes)),
      direct: (bytes) => deliver(() => to.receiveDirect(from.publicKey, bytes)),
      have: (bytes) => deliver(() => to.receiveHave(from.publicKey, bytes))
    })
    A.addPeer(B.publicKey, transport(A, B))
    B.addPeer(A.publicKey, transport(B, A))
  }
  // Held forwards (collectMs) count as in transit too.
  const settle = async (): Promise<void> => {
    // eslint-disable-next-line no-unmodified-loop-condition -- deliveries change it while this awaits
    while (inFlight > 0 || nodes.some((node) => node.pending > 0)) await new Promise((resolve) => setTimeout(resolve, 0))
  }
  return { nodes, keys, link, settle }
}

/** Count deliveries per node. */
export function counter (nodes: Flood[]): number[] {
  const counts = nodes.map(() => 0)
  nodes.forEach((node, i) => node.on('message', () => { counts[i]!++ }))
  return counts
}
