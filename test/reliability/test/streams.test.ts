import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { Arena } from '../src/arena.js'
import { HostilePeer } from '../src/hostile-peer.js'
import { errorCodeOf, rawCancel, rawPull, rawSubscribe, type Opened } from '../src/raw-stream.js'

/** The registry's documented per-peer subscription cap. */
const SLOTS = 32

/** Open `n` subscriptions as `me` on a fresh connection; how many the relay granted. */
async function grantedSlots (arena: Arena, me: KeyPair, n = SLOTS): Promise<number> {
  const peer = await HostilePeer.connect(arena.attacker, arena.relayKey, me)
  try {
    const opened: Opened[] = []
    for (let i = 0; i < n; i++) opened.push(await rawSubscribe(peer, generateKeyPair()))
    return opened.filter((o) => 'streamId' in o).length
  } finally {
    await peer.destroy()
  }
}

describe('stream pulls on an open subscription (issue 1)', () => {
  let arena: Arena | null = null
  afterAll(async () => { await arena?.close() })

  it('does not queue unbounded $stream.next pulls: the excess is refused, memory stays bounded', async () => {
    arena = await Arena.open()
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey)
    const opened = await rawSubscribe(peer, generateKeyPair())
    if (!('streamId' in opened)) throw new Error(`subscribe refused: ${opened.error}`)
    // Nothing will ever be published for this key: every pull waits. 300k of them, ~10 bytes each on the wire.
    const pulls: Array<Promise<Uint8Array>> = []
    for (let i = 0; i < 300_000; i++) {
      pulls.push(rawPull(peer, opened.streamId))
      if (i % 5_000 === 0) await peer.drained()
    }
    await peer.barrier()
    // A bounded relay refuses what it will not queue (RATE_LIMITED) instead of holding it.
    const refused = await Promise.race([pulls[pulls.length - 1]?.then(errorCodeOf), new Promise((resolve) => setTimeout(() => resolve('still queued'), 2_000))])
    const verdict = await arena.verdict('300k $stream.next pulls on one subscription')
    await peer.destroy()
    expect(Arena.broken(verdict)).toEqual([])
    expect(refused).toBe(ErrorCode.RATE_LIMITED)
  }, 300_000)
})

describe('registry subscription slots (issue 4)', () => {
  let arena: Arena
  beforeAll(async () => { arena = await Arena.open() })
  afterAll(async () => { await arena?.close() })

  it('releases a slot cancelled before its first pull', async () => {
    const me = generateKeyPair()
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey, me)
    for (let i = 0; i < SLOTS * 2; i++) {
      const opened = await rawSubscribe(peer, generateKeyPair())
      if ('streamId' in opened) await rawCancel(peer, opened.streamId)
    }
    await peer.destroy()
    expect(await grantedSlots(arena, me)).toBe(SLOTS)
  })

  it('releases a slot cancelled while its pull waits', async () => {
    const me = generateKeyPair()
    const peer = await HostilePeer.connect(arena.attacker, arena.relayKey, me)
    for (let i = 0; i < SLOTS * 2; i++) {
      const opened = await rawSubscribe(peer, generateKeyPair())
      if (!('streamId' in opened)) continue
      rawPull(peer, opened.streamId)
      await rawCancel(peer, opened.streamId)
    }
    await peer.destroy()
    expect(await grantedSlots(arena, me)).toBe(SLOTS)
  })

  it('releases every slot of a connection that closes with pulls waiting', async () => {
    const me = generateKeyPair()
    for (let round = 0; round < 2; round++) {
      const peer = await HostilePeer.connect(arena.attacker, arena.relayKey, me)
      for (let i = 0; i < SLOTS; i++) {
        const opened = await rawSubscribe(peer, generateKeyPair())
        if ('streamId' in opened) rawPull(peer, opened.streamId)
      }
      await peer.barrier()
      await peer.destroy()
    }
    expect(await grantedSlots(arena, me)).toBe(SLOTS)
  })

  it('survives subscription churn: 3,000 subscribe/pull/cancel cycles from 30 peers', async () => {
    const granted = await Promise.all(Array.from({ length: 30 }, async () => {
      const peer = await HostilePeer.connect(arena.attacker, arena.relayKey)
      let n = 0
      for (let i = 0; i < 100; i++) {
        const opened = await rawSubscribe(peer, generateKeyPair())
        if (!('streamId' in opened)) continue
        n++
        rawPull(peer, opened.streamId)
        await rawCancel(peer, opened.streamId)
      }
      await peer.destroy()
      return n
    }))
    expect(Arena.broken(await arena.verdict('subscription churn (3,000 cycles, 30 peers)'))).toEqual([])
    // At most one subscription open at a time per peer: every cycle gets a slot.
    expect(granted.reduce((a, b) => a + b, 0)).toBe(3_000)
  }, 120_000)
})
