import { describe, expect, it } from 'vitest'
import { encode, SigningContext } from '@lume/types'
import { generateKeyPair, sign, type KeyPair } from '@lume/crypto'
import { Flood, packetCodec, packetMessage } from '../src/index.js'
import { mesh } from './mesh.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

/** A packet `origin` signed itself, with any TTL (the TTL is outside the signature). */
function selfSigned (origin: KeyPair, seq: number, ttl: number, payload = bytes('x')): Uint8Array {
  return encode(packetCodec, { origin: origin.publicKey, seq, ttl, payload, signature: sign(SigningContext.FLOOD_PACKET, packetMessage(origin.publicKey, seq, payload), origin.secretKey) })
}

const nowSeq = (): number => Date.now() * 1000

// Attacks from issue 12 (items 3, 6, 7): each failed before the fix.
describe('flood hardening', () => {
  it('drops packets and direct messages from a peer that is not a neighbour, and counts them', async () => {
    const node = new Flood({ keyPair: generateKeyPair() })
    const stranger = generateKeyPair()
    const got: string[] = []
    node.on('message', () => got.push('packet'))
    node.on('direct', () => got.push('direct'))
    node.receivePacket(stranger.publicKey, selfSigned(stranger, nowSeq(), 3))
    node.receiveDirect(stranger.publicKey, bytes('hi'))
    expect(got).toEqual([])
    expect(node.stats.notNeighbour).toBe(2)
  })

  it('clamps an incoming TTL to maxTtl: a TTL 255 packet travels no further than maxTtl hops', async () => {
    const m = mesh(3, { maxTtl: 12 })
    m.link(0, 1)
    m.link(1, 2)
    const ttls: number[] = []
    m.nodes[2]!.on('message', ({ ttl }) => ttls.push(ttl))
    const mallory = generateKeyPair()
    m.nodes[1]!.receivePacket(m.nodes[0]!.publicKey, selfSigned(mallory, nowSeq(), 255))
    await m.settle()
    expect(ttls).toEqual([11])
  })

  it('refuses to broadcast with a TTL above maxTtl, and defaults to a reach of 10 hops under a cap of 12', () => {
    const node = new Flood({ keyPair: generateKeyPair() })
    expect(() => node.broadcast(bytes('far'), { ttl: 13 })).toThrow(RangeError)
    const peer = generateKeyPair()
    const sent: Uint8Array[] = []
    node.addPeer(peer.publicKey, { packet: (b) => { sent.push(b) }, direct: () => {} })
    node.broadcast(bytes('default'))
    expect(sent[0]![1 + 32 + 9]).toBe(10) // version, origin, seq (a 9-byte uint), ttl
  })

  it('refuses a replay of a packet already pushed out of the seen-set (capacity + N distinct packets first)', async () => {
    const capacity = 10
    const m = mesh(2, { seenCapacity: capacity })
    m.link(0, 1)
    const [a, b] = m.nodes as [Flood, Flood]
    let delivered = 0
    b.on('message', () => { delivered++ })
    const origin = generateKeyPair()
    const base = nowSeq()
    const first = selfSigned(origin, base, 2)
    b.receivePacket(a.publicKey, first)
    for (let i = 1; i <= capacity + 5; i++) b.receivePacket(a.publicKey, selfSigned(origin, base + i, 2))
    expect(delivered).toBe(capacity + 6)
    // Still well inside the 5-minute age window, but no longer in the set.
    b.receivePacket(a.publicKey, first)
    expect(delivered).toBe(capacity + 6)
    expect(b.stats.stale).toBe(1)
  })

  it('never queues without bound: a backed-up neighbour gets forwarded packets dropped (counted) until it drains', () => {
    const node = new Flood({ keyPair: generateKeyPair() })
    const slow = generateKeyPair()
    let sent = 0
    node.addPeer(slow.publicKey, { packet: () => { sent++; return false }, direct: () => false })
    for (let i = 0; i < 5; i++) node.broadcast(bytes(`p${i}`))
    expect(sent).toBe(1)
    expect(node.stats.backedUp).toBe(4)
    expect(node.send(slow.publicKey, bytes('direct'))).toBe(false)
    node.resume(slow.publicKey)
    node.broadcast(bytes('after drain'))
    expect(sent).toBe(2)
  })

  it('charges direct messages and packets to the neighbour’s rate, and to the transport’s own limit (its address)', async () => {
    const node = new Flood({ keyPair: generateKeyPair(), rate: { perSecond: 1, burst: 3 } })
    const peer = generateKeyPair()
    const other = generateKeyPair()
    let addressTokens = 4
    const admit = (): boolean => addressTokens-- > 0
    node.addPeer(peer.publicKey, { packet: () => {}, direct: () => {}, admit })
    node.addPeer(other.publicKey, { packet: () => {}, direct: () => {}, admit })
    let directs = 0
    node.on('direct', () => { directs++ })
    for (let i = 0; i < 10; i++) node.receiveDirect(peer.publicKey, bytes('spam'))
    expect(directs).toBe(3)
    // The other key from the same address gets what the address has left: one.
    for (let i = 0; i < 10; i++) node.receiveDirect(other.publicKey, bytes('spam'))
    expect(directs).toBe(4)
    expect(node.stats.rateLimited).toBe(16)
  })
})
