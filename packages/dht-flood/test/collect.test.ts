import { describe, expect, it } from 'vitest'
import { decode, encode, toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { Flood, haveCodec } from '../src/index.js'
import { Collector } from '../src/lib/collector.js'
import { counter, mesh } from './mesh.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
const complete = (m: ReturnType<typeof mesh>, n: number): void => {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) m.link(i, j)
}

// Issue 16: fewer duplicate sends. With collectMs a node tells its neighbours
// it has a packet and, after the delay, sends it only to those that did not
// say so.
describe('collecting before forwarding (collectMs)', () => {
  it('on a complete graph of 6, sends the packet N − 1 times instead of 25', async () => {
    const plain = mesh(6)
    complete(plain, 6)
    plain.nodes[0]!.broadcast(bytes('x'))
    await plain.settle()
    expect(plain.nodes.reduce((n, node) => n + node.stats.sent, 0)).toBe(25)

    const m = mesh(6, { collectMs: 5 })
    complete(m, 6)
    const counts = counter(m.nodes)
    m.nodes[0]!.broadcast(bytes('x'))
    await m.settle()
    expect(counts).toEqual([0, 1, 1, 1, 1, 1])
    expect(m.nodes.reduce((n, node) => n + node.stats.sent, 0)).toBe(5)
  })

  it('still reaches every node of a 20-ring exactly once, multi-hop', async () => {
    const m = mesh(20, { collectMs: 2, maxTtl: 20 })
    for (let i = 0; i < 20; i++) m.link(i, (i + 1) % 20)
    const counts = counter(m.nodes)
    m.nodes[0]!.broadcast(bytes('around'), { ttl: 20 })
    await m.settle()
    expect(counts).toEqual([0, ...Array(19).fill(1)])
  })

  it('holds at most maxPending forwards (the rest go out at once) and drops all on close', async () => {
    const m = mesh(2, { collectMs: 60_000, maxPending: 3 })
    m.link(0, 1)
    const [a, b] = m.nodes as [Flood, Flood]
    const other = generateKeyPair()
    b.addPeer(other.publicKey, { packet: () => {}, direct: () => {} })
    for (let i = 0; i < 5; i++) a.broadcast(bytes(`p${i}`))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(b.pending).toBe(3)
    expect(b.stats.sent).toBe(2)
    b.close()
    expect(b.pending).toBe(0)
  })

  it('holds at most maxPendingBytes of packets', async () => {
    // Packets with a 200-byte payload are 310 bytes: two fit in 700.
    const m = mesh(2, { collectMs: 60_000, maxPendingBytes: 700 })
    m.link(0, 1)
    const [a, b] = m.nodes as [Flood, Flood]
    b.addPeer(generateKeyPair().publicKey, { packet: () => {}, direct: () => {} })
    for (let i = 0; i < 5; i++) a.broadcast(new Uint8Array(200))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(b.pending).toBe(2)
    expect(b.stats.sent).toBe(3)
    b.close()
  })

  it('remembers haves heard before their packet for at most maxPending ids', async () => {
    const collector = new Collector(1, 3, 1 << 20)
    for (let i = 0; i < 100; i++) collector.has(`id${i}`, 'peer', false)
    const flushed = (id: string): Promise<string[]> => new Promise((resolve) => { collector.hold(id, 'from', 100, (except) => resolve([...except].sort())) })
    // Only the newest early haves were kept: id0's was forgotten, id99's counts.
    expect(await flushed('id0')).toEqual(['from'])
    expect(await flushed('id99')).toEqual(['from', 'peer'])
  })

  it('encodes a have as origin ‖ seq (golden bytes), and a malformed one is counted, not thrown', () => {
    const id = { origin: new Uint8Array(32).fill(0xab), seq: 0x1234 }
    const bytes = encode(haveCodec, id)
    expect(toHex(bytes)).toBe('ab'.repeat(32) + 'fd3412')
    const back = decode(haveCodec, bytes)
    expect([toHex(back.origin), back.seq]).toEqual([toHex(id.origin), id.seq])
    const m = mesh(2, { collectMs: 5 })
    m.link(0, 1)
    m.nodes[1]!.receiveHave(m.nodes[0]!.publicKey, Uint8Array.of(1, 2, 3))
    expect(m.nodes[1]!.stats.malformed).toBe(1)
  })
})
