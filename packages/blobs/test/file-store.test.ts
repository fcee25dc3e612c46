import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@lume/crypto'
import { FileBlobStore } from '../src/node/index.js'
import { testBytes } from './helpers/relays.js'

const limits = { perKeyBytes: 10_000_000, maxPinnedBytes: 100_000_000 }

describe('FileBlobStore under concurrent writers', () => {
  let dir: string | undefined
  afterEach(async () => { if (dir !== undefined) await rm(dir, { recursive: true, force: true }) })

  const upload = async (store: FileBlobStore, content: Uint8Array): Promise<Awaited<ReturnType<FileBlobStore['createUpload']>>> => {
    const file = await store.createUpload(content.byteLength)
    await file.write(content)
    return file
  }

  it('keeps every owner\'s pin when the same blob is stored and pinned by several at once, across a restart', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lume-blob-store-'))
    const store = await FileBlobStore.open(dir, { cacheBytes: 0 })
    const content = testBytes(300_000, 4)
    const owners = Array.from({ length: 4 }, () => generateKeyPair())
    const files = await Promise.all(owners.slice(0, 2).map(async () => await upload(store, content)))
    const [hash] = await Promise.all([
      store.add(files[0]!, owners[0]!.publicKey, limits, () => {}),
      store.add(files[1]!, owners[1]!.publicKey, limits, () => {})
    ])
    await Promise.all(owners.slice(2).map(async (o) => await store.pin(hash, o.publicKey, limits)))
    for (const o of owners) expect(store.usedBy(o.publicKey)).toBe(300_000)
    expect(store.bytes.pinned).toBe(4 * 300_000)
    const reopened = await FileBlobStore.open(dir, { cacheBytes: 0 })
    for (const o of owners) expect(reopened.usedBy(o.publicKey)).toBe(300_000)
    expect(reopened.bytes).toEqual({ pinned: 4 * 300_000, cached: 0 })
  })
})
