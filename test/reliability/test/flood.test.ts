import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { encodeAnnouncement } from '@lume/dht-cache'
import { packetCodec } from '@lume/dht-flood'
import { RegistryMethods, registryKey } from '@lume/registry'
import { RpcConnection } from '@lume/rpc'
import { decode, generateKeyPair, toHex } from '@lume/types'
import { Arena } from '../src/arena.js'
import { freshEntry, registryFloodPayload } from '../src/flood-payloads.js'
import { HostilePeer, nowSeq, signedPacket } from '../src/hostile-peer.js'

/** Packets `peer` received whose origin is `origin`. */
function fromOrigin (peer: HostilePeer, origin: Uint8Array): number {
  const hex = toHex(origin)
  return peer.floodReceived.packets.filter((bytes) => toHex(decode(packetCodec, bytes).origin) === hex).length
}

describe('flood injection from clients', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('does not forward a client\'s self-signed TTL-255 packets to anyone, other clients included (issue 3)', async () => {
    arena = await Arena.open()
    const attacker = await HostilePeer.connect(arena.attacker, arena.relayKey)
    await attacker.openFlood().catch(() => {})
    // Other clients that merely opened a flood channel: they must not become the attacker's amplifier.
    const bystanders = await Promise.all(Array.from({ length: 4 }, async () => {
      const peer = await HostilePeer.connect(arena?.honest as never, arena?.relayKey as Uint8Array)
      await peer.openFlood().catch(() => {})
      return peer
    }))
    const origin = generateKeyPair()
    let sent = 0
    for (let i = 0; i < 500; i++) {
      try {
        attacker.sendPacket(signedPacket(origin, nowSeq(i), randomBytes(1024), 255))
        sent++
      } catch { break } // the relay closed the channel: also a pass
    }
    await attacker.barrier().catch(() => {})
    for (const b of bystanders) await b.barrier()
    const amplified = bystanders.reduce((n, b) => n + fromOrigin(b, origin.publicKey), 0)
    attacker.destroy()
    for (const b of bystanders) b.destroy()
    const verdict = await arena.verdict(`client flood injection (${sent} packets, TTL 255, 4 bystanders)`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(amplified).toBe(0)
  })

  it('keeps the cache directory bounded under "have" spam from fresh origins, same 512 hashes, TTL 2^40 (issue 2)', async () => {
    arena = await Arena.open()
    const hashes = Array.from({ length: 512 }, () => randomBytes(32))
    const payload = encodeAnnouncement({ type: 'have', ttlMs: 2 ** 40, hashes })
    const peers = await Promise.all(Array.from({ length: 8 }, async () => await HostilePeer.connect(arena?.attacker as never, arena?.relayKey as Uint8Array)))
    let sent = 0
    for (const peer of peers) {
      await peer.openFlood().catch(() => {})
      // Within the per-peer flood burst (1,000): every packet is one the relay accepts as fresh.
      for (let i = 0; i < 900; i++) {
        try {
          peer.sendPacket(signedPacket(generateKeyPair(), nowSeq(i), payload, 1))
          sent++
        } catch { break }
        if (i % 100 === 0) await peer.drained()
      }
    }
    for (const peer of peers) await peer.barrier().catch(() => {})
    for (const peer of peers) peer.destroy()
    const verdict = await arena.verdict(`cache-directory spam (${sent} "have" packets of 512 hashes)`)
    expect(Arena.broken(verdict)).toEqual([])
  }, 120_000)

  it('stores no registry entry a peer pushed as a direct "have" nobody asked for (issue 7)', async () => {
    arena = await Arena.open()
    const attacker = await HostilePeer.connect(arena.attacker, arena.relayKey)
    await attacker.openFlood().catch(() => {})
    const pushed = Array.from({ length: 200 }, () => freshEntry())
    for (const { bytes } of pushed) {
      try { attacker.sendDirect(registryFloodPayload(2, bytes)) } catch { break }
    }
    await attacker.barrier().catch(() => {})
    attacker.destroy()
    const conn = RpcConnection.open(arena.honest.connect(Buffer.from(arena.relayKey)))
    const found = (await Promise.all(pushed.map(async ({ keyPair }) => await conn.call(RegistryMethods.get, registryKey(keyPair.publicKey))))).filter((e) => e !== null).length
    conn.destroy()
    const verdict = await arena.verdict('unrequested direct "have" entries (200)')
    expect(Arena.broken(verdict)).toEqual([])
    expect(found).toBe(0)
  })

  it('drops a replay of a packet the seen-set has forgotten (108k packets, then the first again) (issue 6)', async () => {
    arena = await Arena.open()
    const origin = generateKeyPair()
    const first = signedPacket(origin, nowSeq(), registryFloodPayload(1, new Uint8Array(33)), 1)
    // 120 connections x 900 packets: each within its connection's burst, so the relay verifies and remembers all.
    const peer0 = await HostilePeer.connect(arena.attacker, arena.relayKey)
    await peer0.openFlood().catch(() => {})
    peer0.sendPacket(first)
    await peer0.barrier()
    const deliveredBefore = await arena.relay.metric('lume_flood_delivered_total')
    let seq = nowSeq() + 1
    for (let c = 0; c < 120; c++) {
      const peer = await HostilePeer.connect(arena.attacker, arena.relayKey)
      await peer.openFlood().catch(() => {})
      for (let i = 0; i < 900; i++) {
        try { peer.sendPacket(signedPacket(origin, seq++, new Uint8Array(1), 1)) } catch { break }
      }
      await peer.barrier().catch(() => {})
      peer.destroy()
    }
    const flooded = await arena.relay.metric('lume_flood_delivered_total') - deliveredBefore
    peer0.sendPacket(first)
    await peer0.barrier()
    const replayed = await arena.relay.metric('lume_flood_delivered_total') - deliveredBefore - flooded
    peer0.destroy()
    const verdict = await arena.verdict(`flood replay after ${flooded} packets`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(replayed).toBe(0)
  }, 180_000)
})
