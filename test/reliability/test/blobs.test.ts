import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { BlobMethods, holderKey, signPin } from '@lume/blobs'
import { encodeAnnouncement } from '@lume/dht-cache'
import { RpcConnection } from '@lume/rpc'
import { equalBytes, ErrorCode, generateKeyPair } from '@lume/types'
import { Arena } from '../src/arena.js'
import { BlobHolder } from '../src/blob-holder.js'
import { uploadBlob } from '../src/blob-upload.js'
import { HostilePeer, nowSeq, signedPacket } from '../src/hostile-peer.js'

describe('blobs under attack', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('bounds the pins one blob carries: a pin storm from fresh keys is refused past the cap', async () => {
    arena = await Arena.open()
    const relayKey = arena.relayKey
    const conn = RpcConnection.open(arena.attacker.connect(Buffer.from(relayKey)))
    try {
      const data = randomBytes(4096)
      const hash = await uploadBlob(conn, relayKey, generateKeyPair(), data)
      // Every fresh key has a quota of its own: without a cap per blob, each pin grows the blob's pin list
      // (held in memory, and rewritten with an fsync on every pin) for as long as the relay-wide quota lasts.
      const outcomes: string[] = []
      for (let round = 0; round < 20; round++) {
        outcomes.push(...await Promise.all(Array.from({ length: 10 }, async () => {
          const key = generateKeyPair()
          return await conn.call(BlobMethods.pin, { owner: key.publicKey, hash, signature: signPin(key.secretKey, relayKey, hash, data.byteLength) })
            .then(() => 'ok', (err: { code?: string }) => err.code ?? 'error')
        })))
      }
      const refused = outcomes.filter((o) => o === ErrorCode.QUOTA_EXCEEDED).length
      expect(outcomes.filter((o) => o !== 'ok' && o !== ErrorCode.QUOTA_EXCEEDED)).toEqual([])
      // The default cap (64 pins, the uploader's included) holds; the rest are refused.
      expect(outcomes.length - refused).toBe(63)
    } finally {
      conn.destroy()
    }
    expect(Arena.broken(await arena.verdict('pin storm on one blob'))).toEqual([])
  })
})

describe('blobs.fetch from a hostile holder', () => {
  let arena: Arena | null = null
  afterEach(async () => { await arena?.close(); arena = null })

  it('keeps a fetch running for the clients still waiting on it when the one that started it leaves', async () => {
    arena = await Arena.open()
    const relayKey = arena.relayKey
    const holder = await BlobHolder.listen(arena.attacker, randomBytes(64 * 1024))
    const hash = holder.hash
    // A hostile relay, admitted to the flood, announces that the holder has the blob (flood packets are self-signed: any key).
    const announcer = await HostilePeer.connect(arena.attacker, relayKey, generateKeyPair(), { asRelay: true })
    const starter = RpcConnection.open(arena.attacker.connect(Buffer.from(relayKey)))
    const joiner = RpcConnection.open(arena.honest.connect(Buffer.from(relayKey)))
    try {
      expect(await announcer.admitted(arena.knownKey)).toBe(true)
      announcer.sendPacket(signedPacket(holder.keyPair, nowSeq(), encodeAnnouncement({ type: 'have', ttlMs: 600_000, hashes: [holderKey(hash)] }), 1))
      await announcer.barrier()
      for (let i = 0; i < 100 && !(await joiner.call(BlobMethods.holders, hash)).some((k) => equalBytes(k, holder.keyPair.publicKey)); i++) await sleep(100)
      // The attacker starts the fetch; an honest client asks for the same blob and joins it; the attacker leaves.
      const first = starter.call(BlobMethods.fetch, hash, { timeoutMs: 60_000 }).then((size) => size, (err: { code?: string }) => err.code ?? 'error')
      expect(await Promise.race([holder.reading.then(() => 'reading'), first])).toBe('reading')
      const second = joiner.call(BlobMethods.fetch, hash, { timeoutMs: 60_000 }).then((size) => size, (err: { code?: string }) => err.code ?? 'error')
      // Wait until the relay has the joiner's call (a cheap call on the same connection, answered in order behind it).
      await joiner.call(BlobMethods.info, hash)
      starter.destroy()
      await first
      // Give the relay time to see the attacker go (the unfixed relay fails the joiner's call at once), then let the holder answer.
      const early = await Promise.race([second, sleep(2_000).then(() => 'still waiting')])
      holder.release()
      expect(early).toBe('still waiting')
      expect(await second).toBe(holder.size)
      expect(await joiner.call(BlobMethods.info, hash)).toBe(holder.size)
    } finally {
      starter.destroy()
      joiner.destroy()
      await announcer.destroy()
      await holder.close()
    }
    expect(Arena.broken(await arena.verdict('fetch started by a client that leaves, joined by an honest one'))).toEqual([])
  }, 120_000)
})
