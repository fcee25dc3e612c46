import { open, type Database, type RootDatabase } from 'lmdb'
import { ErrorCode, LumeError } from '@lume/types'
import { compareEntries, readStoredEntry, serializeEntry, type RegistryEntry } from '../lib/entry.js'
import type { StoreOptions } from '../lib/memory-store.js'
import type { PutResult, RegistryStore } from '../lib/store.js'
import { Watchers } from '../lib/watchers.js'

/** Options for {@link LmdbStore.open}. */
export interface LmdbStoreOptions extends StoreOptions {}

/**
 * Registry entries in LMDB. Writes are a synchronous transaction (a throw in
 * lmdb's async `transaction` would not roll back) and are flushed to disk
 * before `put` resolves: an acknowledged entry survives a crash.
 */
export class LmdbStore implements RegistryStore {
  private readonly watchers = new Watchers()
  private queue: Array<{ entry: RegistryEntry, resolve: (r: PutResult) => void, reject: (e: Error) => void }> = []
  private closed = false

  private constructor (
    private readonly root: RootDatabase,
    private readonly entries: Database<Uint8Array, Uint8Array>,
    private readonly pins: Database<boolean, Uint8Array>,
    private readonly options: LmdbStoreOptions
  ) {}

  /** Open (or create) the store in directory `path`. */
  static async open (path: string, options: LmdbStoreOptions = {}): Promise<LmdbStore> {
    const root = open({ path, keyEncoding: 'binary', encoding: 'binary', overlappingSync: false })
    const entries = root.openDB<Uint8Array, Uint8Array>({ name: 'entries', keyEncoding: 'binary', encoding: 'binary' })
    const pins = root.openDB<boolean, Uint8Array>({ name: 'pins', keyEncoding: 'binary', encoding: 'msgpack' })
    return new LmdbStore(root, entries, pins, options)
  }

  async get (pk: Uint8Array): Promise<RegistryEntry | null> {
    this.assertOpen()
    const bytes = this.entries.get(pk)
    return bytes === undefined ? null : this.decode(bytes)
  }

  /**
   * Compare-and-set. Puts that arrive together are decided in one synchronous
   * transaction and share one flush to disk (group commit): each resolves
   * only once its entry is durable.
   */
  async put (entry: RegistryEntry): Promise<PutResult> {
    this.assertOpen()
    return await new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject })
      if (this.queue.length === 1) setImmediate(() => { void this.commit() })
    })
  }

  private async commit (): Promise<void> {
    const batch = this.queue
    this.queue = []
    const outcomes: Array<PutResult | LumeError> = []
    try {
      this.root.transactionSync(() => {
        for (const { entry } of batch) outcomes.push(this.decide(entry))
      })
      await this.root.flushed
    } catch (err) {
      // The transaction did not commit: nothing of this batch was stored.
      for (const { reject } of batch) reject(new LumeError(ErrorCode.REMOTE_ERROR, 'LMDB write failed', { cause: err }))
      return
    }
    batch.forEach(({ entry, resolve, reject }, i) => {
      const outcome = outcomes[i] as PutResult | LumeError
      if (outcome instanceof LumeError) { reject(outcome); return }
      if (outcome.status === 'stored') this.watchers.notify(entry)
      resolve(outcome)
    })
  }

  /** One compare-and-set inside the open write transaction. */
  private decide (entry: RegistryEntry): PutResult | LumeError {
    const stored = this.entries.get(entry.pk)
    if (stored !== undefined) {
      const current = this.decode(stored)
      const order = compareEntries(entry, current)
      if (order === 0) return { status: 'same', current }
      if (order < 0) return { status: 'stale', current }
    } else if (this.entries.getCount() >= (this.options.maxKeys ?? Infinity) && this.pins.get(entry.pk) !== true) {
      return new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${this.options.maxKeys} keys`)
    }
    this.entries.putSync(entry.pk, serializeEntry(entry))
    return { status: 'stored', current: entry }
  }

  async count (): Promise<number> {
    this.assertOpen()
    return this.entries.getCount()
  }

  async pin (pk: Uint8Array): Promise<void> {
    this.assertOpen()
    await this.pins.put(pk, true)
  }

  async isPinned (pk: Uint8Array): Promise<boolean> {
    this.assertOpen()
    return this.pins.get(pk) === true
  }

  watch (listener: (entry: RegistryEntry) => void): () => void {
    return this.watchers.add(listener)
  }

  async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.watchers.clear()
    await this.root.close()
  }

  private decode (bytes: Uint8Array): RegistryEntry {
    return readStoredEntry(bytes)
  }

  private assertOpen (): void {
    if (this.closed) throw LumeError.closed('LMDB registry store')
  }
}
