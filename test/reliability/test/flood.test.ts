import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeAnnouncement } from '@lume/dht-cache'
import { packetCodec, type Packet } from '@lume/dht-flood'
import { RegistryMethods, registryKey } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { decode, toHex } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { Arena } from '../src/arena.js'
import { freshEntry, registryFloodPayload } from '../src/flood-payloads.js'
import { HostilePeer, nowSeq, signedPacket } from '../src/hostile-peer.js'

/** Packets `peer` received whose origin is `origin`. */
function fromOrigin (peer: HostilePeer, origin: Uint8Array): Packet[] {
  const hex = toHex(origin)
  return peer.floodReceived.packets.map((bytes) => decode(packetCodec, bytes)).filter((p) => toHex(p.origin) === hex)
}

/** Most hops a forwarded packet may have left: a small fixed bound, whatever the origin asked for. */
const MAX_FORWARDED_TTL = 32

describe('flood attacks', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('does not forward a client\'s self-signed TTL-255 packets to anyone, other clients included (issue 3)', async () => {
    arena = await Arena.open()
    const attacker = await HostilePeer.connect(arena.attacker, arena.relayKey)
    const admitted = await attacker.openFlood()
    // Other clients that merely opened a flood channel: they must not become the attacker's amplifier.
    const bystanders = await Promise.all(Array.from({ length: 4 }, async () => {
      const peer = await HostilePeer.connect(arena?.honest as never, arena?.relayKey as Uint8Array)
      await peer.openFlood()
      return peer
    }))
    const origin = generateKeyPair()
    for (let i = 0; i < 500; i++) attacker.sendPacket(signedPacket(origin, nowSeq(i), randomBytes(1024), 255))
    await attacker.barrier()
    for (const b of bystanders) await b.barrier()
    const amplified = bystanders.reduce((n, b) => n + fromOrigin(b, origin.publicKey).length, 0)
    await attacker.destroy()
    for (const b of bystanders) await b.destroy()
    const verdict = await arena.verdict(`client flood injection (500 packets, TTL 255, 4 bystanders; flood channel ${admitted ? 'opened' : 'refused'})`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(amplified).toBe(0)
  })

  it('caps the TTL of a hostile relay\'s packets before forwarding them (issue 3)', async () => {
    arena = await Arena.open()
    const attacker = await HostilePeer.connect(arena.attacker, arena.relayKey, generateKeyPair(), { asRelay: true })
    await attacker.openFlood()
    const admitted = [await attacker.admitted(arena.knownKey)]
    const witness = await HostilePeer.connect(arena.honest, arena.relayKey, generateKeyPair(), { asRelay: true })
    await witness.openFlood()
    admitted.push(await witness.admitted(arena.knownKey))
    expect(admitted).toEqual([true, true])
    const origin = generateKeyPair()
    for (let i = 0; i < 10; i++) attacker.sendPacket(signedPacket(origin, nowSeq(i), randomBytes(64), 255))
    await attacker.barrier()
    await witness.barrier()
    const forwarded = fromOrigin(witness, origin.publicKey)
    await attacker.destroy()
    await witness.destroy()
    const verdict = await arena.verdict(`hostile relay injecting TTL-255 packets (forwarded with TTL ${forwarded.map((p) => p.ttl).join(',')})`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(forwarded.length).toBeGreaterThan(0)
    for (const p of forwarded) expect(p.ttl).toBeLessThanOrEqual(MAX_FORWARDED_TTL)
  })

  it('keeps the cache directory bounded under "have" spam from fresh origins, same 512 hashes, TTL 2^40 (issue 2)', async () => {
    arena = await Arena.open()
    const hashes = Array.from({ length: 512 }, () => randomBytes(32))
    const payload = encodeAnnouncement({ type: 'have', ttlMs: 2 ** 40, hashes })
    // Hostile relays (each listening on its key, so the relay's dial-back succeeds) and plain clients.
    const peers = await Promise.all(Array.from({ length: 8 }, async (_, i) => await HostilePeer.connect(arena?.attacker as never, arena?.relayKey as Uint8Array, generateKeyPair(), { asRelay: i % 2 === 0 })))
    let admitted = 0
    for (const [i, peer] of peers.entries()) {
      await peer.openFlood()
      if (i % 2 === 0 && await peer.admitted(arena.knownKey)) admitted++
      // Within the unfixed relay's per-peer flood burst (1,000): every packet is one it accepts as fresh.
      for (let i = 0; i < 900; i++) {
        peer.sendPacket(signedPacket(generateKeyPair(), nowSeq(i), payload, 1))
        if (i % 100 === 0) await peer.drained()
      }
    }
    for (const peer of peers) await peer.barrier().catch(() => {})
    for (const peer of peers) await peer.destroy()
    const verdict = await arena.verdict(`cache-directory spam (7,200 "have" packets of 512 hashes, ${admitted} of 8 peers admitted to the flood)`)
    expect(Arena.broken(verdict)).toEqual([])
  }, 120_000)

  it('stores no registry entry a hostile relay pushed as a direct "have" nobody asked for (issue 7)', async () => {
    arena = await Arena.open()
    const attacker = await HostilePeer.connect(arena.attacker, arena.relayKey, generateKeyPair(), { asRelay: true })
    await attacker.openFlood()
    const admitted = await attacker.admitted(arena.knownKey)
    const pushed = Array.from({ length: 200 }, () => freshEntry())
    for (const { bytes } of pushed) attacker.sendDirect(registryFloodPayload(2, bytes))
    await attacker.barrier()
    await attacker.destroy()
    const conn = RpcConnection.open(arena.honest.connect(Buffer.from(arena.relayKey)))
    const found = (await Promise.all(pushed.map(async ({ keyPair }) => await conn.call(RegistryMethods.get, registryKey(keyPair.publicKey))))).filter((e) => e !== null).length
    conn.destroy()
    const verdict = await arena.verdict(`unrequested direct "have" entries (200, from a relay ${admitted ? 'admitted' : 'not admitted'} to the flood)`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(found).toBe(0)
  })

  it('drops a replay of a packet the seen-set has forgotten (108k packets, then the first again) (issue 6)', async () => {
    arena = await Arena.open()
    const origin = generateKeyPair()
    const first = signedPacket(origin, nowSeq(), registryFloodPayload(1, new Uint8Array(33)), 1)
    // The packet and its replay come from a hostile relay (a flood neighbour under any rules).
    const relayKeys = generateKeyPair()
    const peer0 = await HostilePeer.connect(arena.attacker, arena.relayKey, relayKeys, { asRelay: true })
    await peer0.openFlood()
    const admitted = await peer0.admitted(arena.knownKey)
    peer0.sendPacket(first)
    await peer0.barrier()
    const deliveredBefore = await arena.floodDelivered()
    // 120 more connections under the same (verified) key, 900 packets each: within the unfixed relay's
    // per-connection burst, so it verifies and remembers all of them.
    let seq = nowSeq() + 1
    for (let c = 0; c < 120; c++) {
      const peer = await HostilePeer.connect(arena.attacker, arena.relayKey, relayKeys)
      await peer.openFlood(200)
      for (let i = 0; i < 900; i++) peer.sendPacket(signedPacket(origin, seq++, new Uint8Array(1), 1))
      await peer.barrier().catch(() => {})
      await peer.destroy()
    }
    const flooded = await arena.floodDelivered() - deliveredBefore
    peer0.sendPacket(first)
    await peer0.barrier()
    const replayed = await arena.floodDelivered() - deliveredBefore - flooded
    await peer0.destroy()
    const verdict = await arena.verdict(`flood replay after ${flooded} of 108,000 packets delivered (relay ${admitted ? 'admitted' : 'not admitted'})`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(replayed).toBe(0)
  }, 180_000)
})
