import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@lume/crypto'
import { registryKey, signEntry } from '../src/index.js'
import { LmdbStore } from '../src/lmdb/index.js'

const data = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('LmdbStore lifecycle', () => {
  let dir: string
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'lume-lmdb-life-')) })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('close() completes the writes already queued, and answers later ones CLOSED', async () => {
    const path = join(dir, 'close')
    const store = await LmdbStore.open(path)
    const keys = Array.from({ length: 20 }, () => generateKeyPair())
    const writes = keys.map(async (k) => await store.put(signEntry(k, 1, data('queued'))))
    const closing = store.close()
    await expect(store.put(signEntry(generateKeyPair(), 1, data('late')))).rejects.toMatchObject({ code: 'CLOSED' })
    const results = await Promise.all(writes)
    await closing
    expect(results.every((r) => r.status === 'stored')).toBe(true)
    const reopened = await LmdbStore.open(path)
    try {
      for (const k of keys) expect((await reopened.get(registryKey(k.publicKey)))?.revision).toBe(1)
      expect(await reopened.count()).toBe(20)
    } finally {
      await reopened.close()
    }
  })

  it('keeps the key count and the pin count across a reopen', async () => {
    const path = join(dir, 'count')
    const store = await LmdbStore.open(path, { maxKeys: 2, maxPins: 1 })
    const [a, b, c, d] = [generateKeyPair(), generateKeyPair(), generateKeyPair(), generateKeyPair()]
    await store.put(signEntry(a, 1, data('a')))
    await store.put(signEntry(b, 1, data('b')))
    await store.pin(registryKey(c.publicKey))
    await store.close()
    const reopened = await LmdbStore.open(path, { maxKeys: 2, maxPins: 1 })
    try {
      expect(await reopened.count()).toBe(2)
      await expect(reopened.put(signEntry(d, 1, data('d')))).rejects.toMatchObject({ code: 'STORE_FULL' })
      await expect(reopened.pin(registryKey(d.publicKey))).rejects.toMatchObject({ code: 'STORE_FULL' })
      expect((await reopened.put(signEntry(c, 1, data('c')))).status).toBe('stored')
      expect(await reopened.count()).toBe(3)
    } finally {
      await reopened.close()
    }
  })
})
