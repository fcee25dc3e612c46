import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { BlobMethods, signPin } from '@lume/blobs'
import { RpcConnection } from '@lume/rpc'
import { ErrorCode, generateKeyPair } from '@lume/types'
import { Arena } from '../src/arena.js'
import { uploadBlob } from '../src/blob-upload.js'

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
