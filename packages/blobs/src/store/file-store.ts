import { randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { outboardLen, outboardSlicePlan } from '@lume/bao-stream'
import { ErrorCode, fromHex, LumeError, toHex } from '@lume/types'
import { BLOB_K } from '../lib/constants.js'
import { ByteLru } from './byte-lru.js'
import { syncDir, writeFileDurably } from './durable.js'
import { KeyLock } from './key-lock.js'
import { charge, PinLedger, type PinLimits } from './pin-ledger.js'
import { UploadFile } from './upload-file.js'

/** Options for {@link FileBlobStore.open}. */
export interface FileBlobStoreOptions {
  /** Bytes of unpinned blobs kept; past it the least recently used go first. */
  cacheBytes: number
  /** Bytes of outboards kept in memory to cut slices from. @default 32 MiB */
  outboardCacheBytes?: number
}

interface Entry {
  size: number
  pins: Set<string>
}

interface Meta {
  size: number
  pins: string[]
}

const HEX_NAME = /^[0-9a-f]{64}\.meta$/

/**
 * Blobs as files: `<hash>.data` (the content), `<hash>.obao` (its Bao
 * outboard, k = 4) and `<hash>.meta` (size and pins). Every file is written to
 * a temp name, fsynced and renamed; the meta file is written last, so a blob
 * exists once its meta does and a crash leaves at most orphans, swept at open.
 * Pinned blobs stay; unpinned ones are a cache with a byte budget, least
 * recently used first out.
 */
export class FileBlobStore {
  // In least-recently-used order: the first entry is the stalest.
  private readonly entries = new Map<string, Entry>()
  private readonly ledger = new PinLedger()
  private readonly outboards: ByteLru
  // One writer per blob: the same blob may come from several uploads, pins and evictions at once.
  private readonly lock = new KeyLock()
  private cached = 0
  private readonly removeListeners = new Set<(hash: Uint8Array) => void>()
  private readonly blobDir: string
  private readonly tmpDir: string

  private constructor (dir: string, private readonly options: FileBlobStoreOptions) {
    this.outboards = new ByteLru(options.outboardCacheBytes ?? 32 * 1024 * 1024)
    this.blobDir = join(dir, 'blobs')
    this.tmpDir = join(dir, 'tmp')
  }

  /** Open (or create) the store in `dir`, dropping unfinished uploads and half-written blobs. */
  static async open (dir: string, options: FileBlobStoreOptions): Promise<FileBlobStore> {
    const store = new FileBlobStore(dir, options)
    await mkdir(store.blobDir, { recursive: true })
    await rm(store.tmpDir, { recursive: true, force: true })
    await mkdir(store.tmpDir, { recursive: true })
    await store.load()
    return store
  }

  /** Bytes pinned by all owners, and bytes of unpinned (cached) blobs. */
  get bytes (): { pinned: number, cached: number } {
    return { pinned: this.ledger.pinned, cached: this.cached }
  }

  /** The cache's byte budget. */
  get cacheBytes (): number {
    return this.options.cacheBytes
  }

  /** Bytes `owner` has pinned here. */
  usedBy (owner: Uint8Array): number {
    return this.ledger.usedBy(toHex(owner))
  }

  /** The blob's size, or null when it is not here. Counts as a use (for the cache's LRU order). */
  size (hash: Uint8Array): number | null {
    const key = toHex(hash)
    const entry = this.entries.get(key)
    if (entry === undefined) return null
    this.entries.delete(key)
    this.entries.set(key, entry)
    return entry.size
  }

  /** True when the blob is here (not a use: the LRU order stays). */
  has (hash: Uint8Array): boolean {
    return this.entries.has(toHex(hash))
  }

  /** True when `owner` has pinned the blob. */
  isPinnedBy (hash: Uint8Array, owner: Uint8Array): boolean {
    return this.entries.get(toHex(hash))?.pins.has(toHex(owner)) ?? false
  }

  /** How many blobs are held. */
  get count (): number {
    return this.entries.size
  }

  /**
   * Every blob held, lazily: a live view, nothing copied up front. One dropped
   * before it is reached is skipped; one used after it was reached comes again.
   */
  * iterateHashes (): Generator<Uint8Array> {
    for (const key of this.entries.keys()) yield fromHex(key, 32)
  }

  /** Every blob held. */
  hashes (): Uint8Array[] {
    return [...this.entries.keys()].map((key) => fromHex(key, 32))
  }

  /** Call `listener` with the hash of every blob dropped from here from now on (evicted, or unpinned and evicted); returns the undo. */
  onRemove (listener: (hash: Uint8Array) => void): () => void {
    this.removeListeners.add(listener)
    return () => { this.removeListeners.delete(listener) }
  }

  /** A temp file for an upload of `size` bytes. */
  async createUpload (size: number): Promise<UploadFile> {
    return await UploadFile.create(join(this.tmpDir, randomBytes(16).toString('hex')), size)
  }

  /**
   * Finish an upload and keep it: pinned for `owner` (checked against `limits`
   * first: `QUOTA_EXCEEDED`), or cached when `owner` is null. `check` runs on
   * the root hash before anything is kept (throw to refuse). Durable when it
   * resolves. The upload's temp file is gone either way.
   */
  async add (upload: UploadFile, owner: Uint8Array | null, limits: PinLimits, check: (hash: Uint8Array) => void): Promise<Uint8Array> {
    let finished: { hash: Uint8Array, outboard: Uint8Array }
    try {
      finished = await upload.finish()
      check(finished.hash)
    } catch (err) {
      await upload.discard()
      throw err
    }
    const key = toHex(finished.hash)
    const hash = finished.hash
    await this.lock.run(key, async () => {
      if (this.entries.has(key)) {
        await upload.discard()
        if (owner !== null) await this.pinUnlocked(key, owner, limits)
        return
      }
      const ownerKey = owner === null ? null : toHex(owner)
      if (ownerKey !== null) this.ledger.reserve(ownerKey, charge(upload.size), limits)
      try {
        await writeFileDurably(join(this.blobDir, `${key}.obao`), finished.outboard)
        await rename(upload.path, join(this.blobDir, `${key}.data`))
        await syncDir(this.blobDir)
        await this.writeMeta(key, { size: upload.size, pins: ownerKey === null ? [] : [ownerKey] })
      } catch (err) {
        if (ownerKey !== null) this.ledger.release(ownerKey, charge(upload.size))
        await upload.discard()
        throw err
      }
      this.entries.set(key, { size: upload.size, pins: new Set(ownerKey === null ? [] : [ownerKey]) })
      if (ownerKey === null) this.cached += charge(upload.size)
    })
    await this.evict()
    return hash
  }

  /** Pin a blob held here for `owner` (`QUOTA_EXCEEDED` past `limits`). Durable when it resolves. */
  async pin (hash: Uint8Array, owner: Uint8Array, limits: PinLimits): Promise<void> {
    const key = toHex(hash)
    await this.lock.run(key, async () => { await this.pinUnlocked(key, owner, limits) })
  }

  /** Drop `owner`'s pin; a blob nobody pins becomes cache (and may be evicted). */
  async unpin (hash: Uint8Array, owner: Uint8Array): Promise<void> {
    const key = toHex(hash)
    await this.lock.run(key, async () => {
      const entry = this.entries.get(key)
      const ownerKey = toHex(owner)
      if (entry === undefined || !entry.pins.delete(ownerKey)) return
      this.ledger.release(ownerKey, charge(entry.size))
      if (entry.pins.size === 0) this.cached += charge(entry.size)
      await this.writeMeta(key, { size: entry.size, pins: [...entry.pins] })
    })
    await this.evict()
  }

  private async pinUnlocked (key: string, owner: Uint8Array, limits: PinLimits): Promise<void> {
    const entry = this.entries.get(key)
    if (entry === undefined) throw new LumeError(ErrorCode.NOT_FOUND, 'no such blob here')
    const ownerKey = toHex(owner)
    if (entry.pins.has(ownerKey)) return
    // Every fresh key has a quota of its own: without a cap, sybil keys grow one blob's pin list without end.
    if (limits.maxPinsPerBlob !== undefined && entry.pins.size >= limits.maxPinsPerBlob) {
      throw new LumeError(ErrorCode.QUOTA_EXCEEDED, `a blob carries at most ${limits.maxPinsPerBlob} pins here`, { details: { scope: 'blob', limit: limits.maxPinsPerBlob } })
    }
    this.ledger.reserve(ownerKey, charge(entry.size), limits)
    entry.pins.add(ownerKey)
    if (entry.pins.size === 1) this.cached -= charge(entry.size)
    try {
      await this.writeMeta(key, { size: entry.size, pins: [...entry.pins] })
    } catch (err) {
      entry.pins.delete(ownerKey)
      if (entry.pins.size === 0) this.cached += charge(entry.size)
      this.ledger.release(ownerKey, charge(entry.size))
      throw err
    }
  }

  /** The Bao slice (k = 4, with header) for content range [start, start + len); `NOT_FOUND` when the blob is not here. */
  async readSlice (hash: Uint8Array, start: number, len: number): Promise<Uint8Array> {
    const key = toHex(hash)
    const size = this.size(hash)
    if (size === null) throw new LumeError(ErrorCode.NOT_FOUND, 'no such blob here')
    const outboard = await this.outboard(key, size)
    const pieces = outboardSlicePlan(size, start, len, { k: BLOB_K })
    const total = pieces.reduce((n, p) => n + p.len, 0)
    const out = new Uint8Array(total)
    const data = await open(join(this.blobDir, `${key}.data`), 'r')
    try {
      let at = 0
      for (const piece of pieces) {
        if (piece.from === 'outboard') out.set(outboard.subarray(piece.start, piece.start + piece.len), at)
        else await readFully(data, out.subarray(at, at + piece.len), piece.start)
        at += piece.len
      }
    } finally {
      await data.close()
    }
    return out
  }

  /** Drop cached blobs, least recently used first, until the cache fits its budget. */
  async evict (): Promise<void> {
    for (const [key, entry] of [...this.entries]) {
      if (this.cached <= this.options.cacheBytes) return
      if (entry.pins.size > 0) continue
      await this.lock.run(key, async () => {
        // Pinned or gone while waiting for the lock: leave it.
        if (this.entries.get(key) === entry && entry.pins.size === 0) await this.remove(key, entry)
      })
    }
  }

  private async remove (key: string, entry: Entry): Promise<void> {
    this.entries.delete(key)
    this.cached -= charge(entry.size)
    this.outboards.delete(key)
    // The meta file goes first: without it the blob does not exist, whatever else a crash leaves.
    await rm(join(this.blobDir, `${key}.meta`), { force: true })
    await rm(join(this.blobDir, `${key}.data`), { force: true })
    await rm(join(this.blobDir, `${key}.obao`), { force: true })
    for (const listener of this.removeListeners) listener(fromHex(key, 32))
  }

  private async writeMeta (key: string, meta: Meta): Promise<void> {
    await writeFileDurably(join(this.blobDir, `${key}.meta`), new TextEncoder().encode(JSON.stringify(meta)))
  }

  private async outboard (key: string, size: number): Promise<Uint8Array> {
    const hit = this.outboards.get(key)
    if (hit !== undefined) return hit
    const bytes = new Uint8Array(await readFile(join(this.blobDir, `${key}.obao`)))
    if (bytes.byteLength !== outboardLen(size, BLOB_K)) throw new LumeError(ErrorCode.TRUNCATED, 'a stored outboard has the wrong length')
    this.outboards.set(key, bytes)
    return bytes
  }

  private async load (): Promise<void> {
    const names = await readdir(this.blobDir)
    const found: Array<{ key: string, meta: Meta, mtime: number }> = []
    for (const name of names) {
      if (!HEX_NAME.test(name)) continue
      const key = name.slice(0, 64)
      try {
        const meta = JSON.parse(await readFile(join(this.blobDir, name), 'utf8')) as Meta
        const data = await stat(join(this.blobDir, `${key}.data`))
        const obao = await stat(join(this.blobDir, `${key}.obao`))
        if (data.size !== meta.size || obao.size !== outboardLen(meta.size, BLOB_K) || !Array.isArray(meta.pins)) throw new Error('sizes do not match')
        found.push({ key, meta, mtime: (await stat(join(this.blobDir, name))).mtimeMs })
      } catch {
        await rm(join(this.blobDir, name), { force: true })
      }
    }
    // The least recently changed first: the LRU order survives a restart roughly.
    found.sort((a, b) => a.mtime - b.mtime)
    const live = new Set<string>()
    for (const { key, meta } of found) {
      live.add(key)
      const pins = new Set(meta.pins)
      this.entries.set(key, { size: meta.size, pins })
      if (pins.size === 0) this.cached += charge(meta.size)
      for (const owner of pins) {
        this.ledger.add(owner, charge(meta.size))
      }
    }
    // Data or outboards without meta are what a crash left mid-write.
    for (const name of names) {
      if (name.endsWith('.tmp') || !live.has(name.slice(0, 64))) await rm(join(this.blobDir, name), { force: true })
    }
    await this.evict()
  }
}

async function readFully (handle: Awaited<ReturnType<typeof open>>, into: Uint8Array, position: number): Promise<void> {
  let at = 0
  while (at < into.byteLength) {
    const { bytesRead } = await handle.read(into, at, into.byteLength - at, position + at)
    if (bytesRead === 0) throw new LumeError(ErrorCode.TRUNCATED, 'a stored blob is shorter than its size')
    at += bytesRead
  }
}
