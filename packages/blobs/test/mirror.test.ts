import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegistryClient } from '@lume/registry'
import { equalBytes } from '@lume/types'
import { generateMnemonic, keyPairFromMnemonic } from '@lume/crypto'
import { BlobNet, testBytes, type BlobRelay } from './helpers/relays.js'

describe('an encrypted mirror, restored on a fresh machine from the mnemonic alone', () => {
  let net: BlobNet
  let home: BlobRelay
  let mirror: BlobRelay

  beforeAll(async () => {
    net = await BlobNet.create()
    home = await net.add({ announceTtlMs: 2000 })
    mirror = await net.add({ announceTtlMs: 2000, cacheBytes: 1_000_000 })
    await mirror.relay.connect(home.keyPair.publicKey)
  }, 30_000)
  afterAll(async () => { await net?.close() }, 30_000)

  it('mirrors the registry head and the blobs (keys only inside the encrypted manifest), and restores them', async () => {
    const mnemonic = generateMnemonic()
    const identity = keyPairFromMnemonic(mnemonic)
    const app = net.client([home])
    // The user's data lives on their home relay: a feed head and two blobs, one private.
    await new RegistryClient(await net.connect(home)).set(identity, new TextEncoder().encode('my feed head'))
    const photo = testBytes(400_000, 21)
    const diary = new TextEncoder().encode('dear diary, '.repeat(30_000))
    const pub = await app.put(photo, { keyPair: identity })
    const priv = await app.put(diary, { keyPair: identity, encrypt: true })
    // The mirror relay learns who holds them (over the flood) before it can fetch them.
    const asker = net.client([mirror])
    await expect.poll(async () => (await asker.holders(priv.hash)).some((k) => equalBytes(k, home.keyPair.publicKey)), { timeout: 20_000, interval: 200 }).toBe(true)

    await app.mirror(mnemonic, mirror.keyPair.publicKey, [{ hash: pub.hash }, { hash: priv.hash, key: priv.key as Uint8Array }])

    // The mirror's cache churns (a big blob fetched through it): pinned blobs stay. Then the home relay goes away.
    const big = await app.put(testBytes(900_000, 22), { keyPair: identity })
    await expect.poll(async () => { try { return await asker.fetchVia(mirror.keyPair.publicKey, big.hash, 5000) } catch { return 0 } }, { timeout: 20_000, interval: 200 }).toBe(900_000)
    await home.relay.close()

    // A fresh machine: the mnemonic and the mirror relay, nothing else.
    const fresh = net.client([mirror])
    const restored = await fresh.restore(mnemonic, mirror.keyPair.publicKey)
    expect(new TextDecoder().decode(restored.head?.data)).toBe('my feed head')
    expect(restored.blobs.length).toBe(2)
    expect(equalBytes(await fresh.bytes(restored.blobs[0]!), photo)).toBe(true)
    expect(equalBytes(await fresh.bytes(restored.blobs[1]!), diary)).toBe(true)
    // The mirror's disk has neither the diary nor its key.
    const files = (await readdir(mirror.dir, { recursive: true })).map((p) => join(mirror.dir, p))
    for (const path of files) {
      let bytes: Buffer
      try { bytes = await readFile(path) } catch { continue }
      expect(bytes.includes(Buffer.from(diary.subarray(0, 24))), path).toBe(false)
      expect(bytes.includes(Buffer.from(priv.key as Uint8Array)), path).toBe(false)
      expect(bytes.includes(Buffer.from(Buffer.from(priv.key as Uint8Array).toString('hex'))), path).toBe(false)
    }
    await expect(fresh.restore(generateMnemonic(), mirror.keyPair.publicKey)).rejects.toMatchObject({ code: 'NOT_FOUND' })
  }, 60_000)
})
