import { describe, expect, it } from 'vitest'
import { encode, SigningContext } from '@lume/types'
import { generateKeyPair, sign } from '@lume/crypto'
import { Flood, packetCodec, packetMessage } from '../src/index.js'
import { counter, mesh } from './mesh.js'

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('flooding (in-memory links)', () => {
  it('reaches all 20 nodes of a line-and-ring exactly once, multi-hop', async () => {
    const m = mesh(20, { maxTtl: 20 })
    for (let i = 0; i < 20; i++) m.link(i, (i + 1) % 20)
    const counts = counter(m.nodes)
    const hops: number[] = m.nodes.map(() => -1)
    m.nodes.forEach((node, i) => node.on('message', ({ ttl }) => { hops[i] = 20 - ttl }))
    m.nodes[0]!.broadcast(bytes('hello'), { ttl: 20 })
    await m.settle()
    expect(counts).toEqual([0, ...Array(19).fill(1)])
    // The far side of the ring is 10 hops away: the packet travelled, not just one step.
    expect(Math.max(...hops)).toBe(9)
  })

  it('stops at the TTL: with TTL 2 only nodes within 2 hops hear it', async () => {
    const m = mesh(20)
    for (let i = 0; i < 20; i++) m.link(i, (i + 1) % 20)
    const counts = counter(m.nodes)
    m.nodes[0]!.broadcast(bytes('near'), { ttl: 2 })
    await m.settle()
    expect(counts.map((c, i) => c === 1 ? i : -1).filter((i) => i >= 0)).toEqual([1, 2, 18, 19])
    expect(counts.reduce((a, b) => a + b)).toBe(4)
  })

  it('never sends a packet back to the neighbour it came from', async () => {
    const m = mesh(2)
    m.link(0, 1)
    m.nodes[0]!.broadcast(bytes('x'), { ttl: 5 })
    await m.settle()
    expect(m.nodes[1]!.stats.delivered).toBe(1)
    expect(m.nodes[1]!.stats.sent).toBe(0)
    expect(m.nodes[0]!.stats.duplicate).toBe(0)
  })

  it('drops forged origins, bad signatures, replays and malformed bytes, and counts them', async () => {
    const m = mesh(2)
    m.link(0, 1)
    const [a, b] = m.nodes as [Flood, Flood]
    const counts = counter(m.nodes)
    const victim = generateKeyPair()
    const mallory = generateKeyPair()
    const seq = Date.now() * 1000
    const payload = bytes('pay me')
    // Claims to come from the victim, signed by mallory.
    const forged = encode(packetCodec, { origin: victim.publicKey, seq, ttl: 3, payload, signature: sign(SigningContext.FLOOD_PACKET, packetMessage(victim.publicKey, seq, payload), mallory.secretKey) })
    b.receivePacket(a.publicKey, forged)
    expect(b.stats.badSignature).toBe(1)
    // A genuine packet from the victim with the same sequence still gets through afterwards.
    const genuine = encode(packetCodec, { origin: victim.publicKey, seq, ttl: 3, payload, signature: sign(SigningContext.FLOOD_PACKET, packetMessage(victim.publicKey, seq, payload), victim.secretKey) })
    b.receivePacket(a.publicKey, genuine)
    expect(counts[1]).toBe(1)
    // Replayed: dropped as a duplicate.
    b.receivePacket(a.publicKey, genuine)
    expect(b.stats.duplicate).toBe(1)
    // Signed for another context: bad signature.
    const wrongContext = encode(packetCodec, { origin: victim.publicKey, seq: seq + 1, ttl: 3, payload, signature: sign(SigningContext.RPC_RESPONSE, packetMessage(victim.publicKey, seq + 1, payload), victim.secretKey) })
    b.receivePacket(a.publicKey, wrongContext)
    expect(b.stats.badSignature).toBe(2)
    // An old packet, properly signed, replayed after the age window: stale.
    const oldSeq = (Date.now() - 10 * 60_000) * 1000
    const old = encode(packetCodec, { origin: victim.publicKey, seq: oldSeq, ttl: 3, payload, signature: sign(SigningContext.FLOOD_PACKET, packetMessage(victim.publicKey, oldSeq, payload), victim.secretKey) })
    b.receivePacket(a.publicKey, old)
    expect(b.stats.stale).toBe(1)
    for (const garbage of [new Uint8Array(0), Uint8Array.of(1, 2, 3), Uint8Array.of(9, ...new Uint8Array(120))]) b.receivePacket(a.publicKey, garbage)
    expect(b.stats.malformed).toBe(3)
    expect(counts[1]).toBe(1)
  })

  it('delivers a restarted node’s new packets (sequence numbers come from the clock)', async () => {
    const m = mesh(3)
    m.link(0, 1)
    m.link(1, 2)
    const counts = counter(m.nodes)
    const firstSeq = m.nodes[0]!.broadcast(bytes('before restart'))
    await m.settle()
    // Node 0 restarts: a new Flood with the same key and a fresh sequence counter.
    const restarted = new Flood({ keyPair: m.keys[0]! })
    const [one] = [m.nodes[1]!]
    restarted.addPeer(one.publicKey, { packet: (b) => queueMicrotask(() => one.receivePacket(restarted.publicKey, b)), direct: () => {} })
    one.addPeer(restarted.publicKey, { packet: () => {}, direct: () => {} })
    const secondSeq = restarted.broadcast(bytes('after restart'))
    expect(secondSeq).toBeGreaterThan(firstSeq)
    await m.settle()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(counts[1]).toBe(2)
    expect(counts[2]).toBe(2)
  })

  it('rate-limits a peer that floods, while others get through', async () => {
    const m = mesh(3, { rate: { perSecond: 10, burst: 20 } })
    m.link(0, 1)
    m.link(2, 1)
    const counts = counter(m.nodes)
    for (let i = 0; i < 200; i++) m.nodes[0]!.broadcast(bytes(`spam ${i}`))
    m.nodes[2]!.broadcast(bytes('legit'))
    await m.settle()
    expect(m.nodes[1]!.stats.rateLimited).toBe(180)
    expect(counts[1]).toBe(21)
  })

  it('refuses payloads over the limit, and sends direct messages to a neighbour only', async () => {
    const m = mesh(3, { maxPayloadBytes: 100 })
    m.link(0, 1)
    expect(() => m.nodes[0]!.broadcast(new Uint8Array(101))).toThrow(expect.objectContaining({ code: 'TOO_LARGE' }))
    const got: string[] = []
    m.nodes[1]!.on('direct', ({ payload }) => got.push(new TextDecoder().decode(payload)))
    expect(m.nodes[0]!.send(m.nodes[1]!.publicKey, bytes('psst'))).toBe(true)
    expect(m.nodes[0]!.send(m.nodes[2]!.publicKey, bytes('not a neighbour'))).toBe(false)
    await m.settle()
    expect(got).toEqual(['psst'])
  })

  it('bounds fan-out: a hub forwards to at most maxFanout neighbours', async () => {
    const m = mesh(30, { maxFanout: 5 })
    for (let i = 1; i < 30; i++) m.link(0, i)
    m.nodes[1]!.broadcast(bytes('via hub'), { ttl: 2 })
    await m.settle()
    expect(m.nodes[0]!.stats.sent).toBe(5)
  })
})

describe('whenNeighbours', () => {
  it('resolves once enough neighbours are connected, and rejects when aborted or closed', async () => {
    const flood = new Flood({ keyPair: generateKeyPair() })
    const two = flood.whenNeighbours(2)
    let settled = false
    void two.then(() => { settled = true })
    flood.addPeer(generateKeyPair().publicKey, { packet: () => {}, direct: () => {} })
    await Promise.resolve()
    expect(settled).toBe(false)
    flood.addPeer(generateKeyPair().publicKey, { packet: () => {}, direct: () => {} })
    await two
    await flood.whenNeighbours(1) // already there
    const controller = new AbortController()
    const three = flood.whenNeighbours(3, { signal: controller.signal })
    controller.abort(new Error('gave up'))
    await expect(three).rejects.toThrow('gave up')
    flood.close()
    await expect(flood.whenNeighbours(5)).rejects.toMatchObject({ code: 'CLOSED' })
  })
})
