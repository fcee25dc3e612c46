import { afterEach, describe, expect, it } from 'vitest'
import { RegistryMethods, registryKey } from '@lume/registry'
import { ErrorCode, encode } from '@lume/types'
import { generateKeyPair } from '@lume/crypto'
import { Arena } from '../src/arena.js'
import { honestRoundTrip } from '../src/honest-client.js'
import { HostilePeer } from '../src/hostile-peer.js'
import { freshEntry } from '../src/flood-payloads.js'
import { errorCodeOf } from '../src/raw-stream.js'

// Limits per address are what these attacks meet, and while the WebSocket endpoint runs the relay
// trusts loopback as a shared address (its gateway's connections arrive from there): the relay here
// runs the production configuration without the WebSocket endpoint.
describe('load from one hostile address', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('10k requests in flight on one connection: the excess is refused, an honest client is served meanwhile', async () => {
    arena = await Arena.open({ withoutWebSocket: true })
    // As a flood neighbour (a hostile relay), every get for an unknown key waits for neighbours to answer: each request is held.
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey, generateKeyPair(), { asRelay: true })
    await peer.openFlood()
    const admitted = await peer.admitted(arena.knownKey)
    const requests: Array<Promise<string | null>> = []
    for (let i = 0; i < 10_000; i++) {
      const pk = registryKey(generateKeyPair().publicKey)
      requests.push(peer.rpc.request(RegistryMethods.get.name, HostilePeer.envelope(encode(RegistryMethods.get.request, pk))).then(errorCodeOf, () => 'closed'))
      if (i % 1_000 === 0) await peer.drained()
    }
    const honestMs = await honestRoundTrip(arena.honest, arena.relayKey)
    const outcomes = await Promise.all(requests)
    await peer.destroy()
    const refused = outcomes.filter((o) => o === ErrorCode.RATE_LIMITED || o === ErrorCode.BUSY).length
    const verdict = await arena.verdict(`10k requests in flight (${refused} refused; flood neighbour: ${admitted}; honest call during the attack: ${Math.round(honestMs)} ms)`)
    expect(Arena.broken(verdict)).toEqual([])
    expect(honestMs).toBeLessThan(3_000)
    // Held requests beyond the in-flight budget are refused, not queued.
    if (admitted) expect(refused).toBeGreaterThan(0)
  }, 120_000)

  it('1,000 connections from one address: the relay stays within its memory budget and serves an honest client', async () => {
    arena = await Arena.open({ withoutWebSocket: true })
    const peers: HostilePeer[] = []
    let refused = 0
    for (let batch = 0; batch < 20; batch++) {
      const opened = await Promise.allSettled(Array.from({ length: 50 }, async () => await HostilePeer.connect(arena?.attacker as never, arena?.relayKey as Uint8Array)))
      for (const o of opened) {
        if (o.status === 'fulfilled') peers.push(o.value)
        else refused++
      }
    }
    // Each connection is used: a call on each, all at once.
    const served = (await Promise.allSettled(peers.map(async (p) => await p.barrier()))).filter((r) => r.status === 'fulfilled').length
    const peakDuring = Math.round(await arena.relay.peakRss() / 1024 / 1024)
    const alive = arena.relay.alive
    // The honest client shares the attacker's address on loopback (the relay rightly counts it as one of the
    // attacker's connections while they are open), so it is timed once the attacker lets go.
    for (const p of peers) await p.destroy()
    const verdict = await arena.verdict(`1,000 connections (${peers.length} opened, ${refused} refused at connect, ${served} served a call; peak RSS ${peakDuring} MB during)`)
    expect(alive).toBe(true)
    expect(Arena.broken(verdict)).toEqual([])
  }, 180_000)

  it('100 fresh keys writing at once from one address get the address\'s write limit, not 100 times a key\'s (issue 7)', async () => {
    arena = await Arena.open({ withoutWebSocket: true })
    const peers = await Promise.all(Array.from({ length: 100 }, async () => await HostilePeer.connect(arena?.attacker as never, arena?.relayKey as Uint8Array)))
    const outcomes = await Promise.all(peers.flatMap((peer) => Array.from({ length: 60 }, async () => {
      const raw = await peer.request(RegistryMethods.set.name, HostilePeer.envelope(freshEntry().bytes)).catch(() => null)
      return raw === null ? 'closed' : errorCodeOf(raw) ?? 'stored'
    })))
    for (const p of peers) await p.destroy()
    const stored = outcomes.filter((o) => o === 'stored').length
    const verdict = await arena.verdict(`write burst from 100 fresh keys (${stored} of 6,000 writes stored)`)
    expect(Arena.broken(verdict)).toEqual([])
    // One address's burst is a small multiple of one key's (50), not 100 keys' worth (5,000).
    expect(stored).toBeLessThanOrEqual(1_000)
    expect(outcomes.filter((o) => o === ErrorCode.RATE_LIMITED).length).toBeGreaterThan(0)
  }, 120_000)
})
