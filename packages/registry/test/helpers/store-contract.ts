import { describe, expect, it, beforeEach, afterEach } from 'vitest'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import { signEntry, registryKey, type RegistryStore } from '../../src/index.js'
import { expectIdempotentClose } from '../../../../scripts/test-helpers/closable.ts'

/**
 * The behaviour every RegistryStore must have, run against each backend.
 * `make` opens a fresh, empty store (with the options given).
 */
export function storeContract (name: string, make: (options: { maxKeys?: number, maxPins?: number }) => Promise<RegistryStore>): void {
  describe(`RegistryStore contract: ${name}`, () => {
    let store: RegistryStore
    let alice: KeyPair
    beforeEach(async () => {
      store = await make({})
      alice = generateKeyPair()
    })
    afterEach(async () => { await store.close() })

    const data = (s: string): Uint8Array => new TextEncoder().encode(s)

    it('returns null for an unknown key, and what was stored for a known one', async () => {
      expect(await store.get(registryKey(alice.publicKey))).toBeNull()
      const entry = signEntry(alice, 1, data('v1'))
      expect(await store.put(entry)).toMatchObject({ status: 'stored' })
      const got = await store.get(entry.pk)
      expect(got?.revision).toBe(1)
      expect(Buffer.from(got!.data).toString()).toBe('v1')
      expect(Buffer.from(got!.signature).equals(Buffer.from(entry.signature))).toBe(true)
      expect(await store.count()).toBe(1)
    })

    it('keeps the higher revision, answers a stale write with the stored entry', async () => {
      await store.put(signEntry(alice, 5, data('five')))
      const stale = await store.put(signEntry(alice, 4, data('four')))
      expect(stale.status).toBe('stale')
      expect(stale.current.revision).toBe(5)
      expect((await store.put(signEntry(alice, 6, data('six')))).status).toBe('stored')
      expect((await store.get(registryKey(alice.publicKey)))?.revision).toBe(6)
    })

    it('reads the revision in full: 2^48 is kept above 2^32 + 1', async () => {
      await store.put(signEntry(alice, 2 ** 32 + 1, data('a')))
      expect((await store.put(signEntry(alice, 2 ** 48, data('b')))).status).toBe('stored')
      expect((await store.put(signEntry(alice, 2 ** 32 + 2, data('c')))).status).toBe('stale')
      expect((await store.get(registryKey(alice.publicKey)))?.revision).toBe(2 ** 48)
    })

    it('breaks equal revisions deterministically: the larger signature wins, whatever the order', async () => {
      const a = signEntry(alice, 9, data('one'))
      const b = signEntry(alice, 9, data('two'))
      const winner = Buffer.compare(Buffer.from(a.signature), Buffer.from(b.signature)) > 0 ? a : b
      const loser = winner === a ? b : a
      await store.put(loser)
      expect((await store.put(winner)).status).toBe('stored')
      expect((await store.put(loser)).status).toBe('stale')
      expect(Buffer.from((await store.get(a.pk))!.data).toString()).toBe(Buffer.from(winner.data).toString())
      expect((await store.put(winner)).status).toBe('same')
    })

    it('loses no update when writers race', async () => {
      const writes = Array.from({ length: 50 }, (_, i) => signEntry(alice, i + 1, data(`r${i + 1}`)))
      const shuffled = [...writes].sort(() => Math.random() - 0.5)
      const results = await Promise.all(shuffled.map(async (e) => await store.put(e)))
      expect((await store.get(registryKey(alice.publicKey)))?.revision).toBe(50)
      // Exactly one of the racing writes can have stored revision 50.
      expect(results.filter((r) => r.status === 'stored' && r.current.revision === 50)).toHaveLength(1)
    })

    it('tells watchers about stored entries (not stale ones)', async () => {
      const seen: number[] = []
      const stop = store.watch((e) => seen.push(e.revision))
      await store.put(signEntry(alice, 2, data('x')))
      await store.put(signEntry(alice, 1, data('old')))
      await store.put(signEntry(alice, 3, data('y')))
      await expect.poll(() => seen, { timeout: 3000 }).toEqual([2, 3])
      stop()
    })

    it('refuses new keys beyond maxKeys with STORE_FULL, but takes updates and pinned keys', async () => {
      const small = await make({ maxKeys: 2 })
      try {
        const [a, b, c, d] = [generateKeyPair(), generateKeyPair(), generateKeyPair(), generateKeyPair()]
        await small.put(signEntry(a, 1, data('a')))
        await small.put(signEntry(b, 1, data('b')))
        await expect(small.put(signEntry(c, 1, data('c')))).rejects.toMatchObject({ code: 'STORE_FULL' })
        expect((await small.put(signEntry(a, 2, data('a2')))).status).toBe('stored')
        await small.pin(registryKey(d.publicKey))
        expect(await small.isPinned(registryKey(d.publicKey))).toBe(true)
        expect((await small.put(signEntry(d, 1, data('pinned')))).status).toBe('stored')
        expect(await small.get(registryKey(c.publicKey))).toBeNull()
      } finally {
        await small.close()
      }
    })

    it('caps pins too: pin-then-write cannot grow the store past maxKeys + maxPins', async () => {
      const small = await make({ maxKeys: 2, maxPins: 3 })
      try {
        const keys = Array.from({ length: 8 }, () => generateKeyPair())
        const stored: string[] = []
        // The store is full of ordinary keys first; then pin-then-write.
        await small.put(signEntry(generateKeyPair(), 1, data('x')))
        await small.put(signEntry(generateKeyPair(), 1, data('x')))
        for (const k of keys) {
          await small.pin(registryKey(k.publicKey)).catch((err: { code: string }) => expect(err.code).toBe('STORE_FULL'))
          await small.put(signEntry(k, 1, data('x'))).then(() => stored.push('ok'), (err: { code: string }) => expect(err.code).toBe('STORE_FULL'))
        }
        expect(stored).toHaveLength(3)
        expect(await small.count()).toBe(5)
        // Pinning a key again is no new pin.
        await small.pin(registryKey(keys[0]!.publicKey))
      } finally {
        await small.close()
      }
    })

    it('keeps count right across updates, stale writes and a refused new key', async () => {
      const small = await make({ maxKeys: 3 })
      try {
        const [a, b, c, d] = [generateKeyPair(), generateKeyPair(), generateKeyPair(), generateKeyPair()]
        await Promise.all([small.put(signEntry(a, 1, data('a'))), small.put(signEntry(a, 2, data('a'))), small.put(signEntry(b, 1, data('b')))])
        await small.put(signEntry(a, 1, data('old')))
        expect(await small.count()).toBe(2)
        await small.put(signEntry(c, 1, data('c')))
        await expect(small.put(signEntry(d, 1, data('d')))).rejects.toMatchObject({ code: 'STORE_FULL' })
        expect(await small.count()).toBe(3)
      } finally {
        await small.close()
      }
    })

    it('answers the writes made before close(), then closes', async () => {
      const other = await make({})
      const keys = Array.from({ length: 10 }, () => generateKeyPair())
      const writes = keys.map(async (k) => await other.put(signEntry(k, 1, data('before close'))))
      await other.close()
      expect((await Promise.all(writes)).map((r) => r.status)).toEqual(Array(10).fill('stored'))
    })

    it('closes once: close() twice at once and again after all settle once it is closed', async () => {
      const other = await make({})
      await expectIdempotentClose(other)
      await expect(other.get(registryKey(alice.publicKey))).rejects.toMatchObject({ code: 'CLOSED' })
    })

    it('answers CLOSED after close', async () => {
      const other = await make({})
      await other.close()
      await expect(other.put(signEntry(alice, 1, data('late')))).rejects.toMatchObject({ code: 'CLOSED' })
      await expect(other.get(registryKey(alice.publicKey))).rejects.toMatchObject({ code: 'CLOSED' })
    })
  })
}
