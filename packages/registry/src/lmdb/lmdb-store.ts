import type { Database, RootDatabase } from 'lmdb'
import { ErrorCode, importPeer, LumeError } from '@lume/types'
import { compareEntries, readStoredEntry, serializeEntry, type RegistryEntry } from '../lib/entry.js'
import { DEFAULT_MAX_PINS, type StoreOptions } from '../lib/memory-store.js'
import type { PutResult, RegistryStore } from '../lib/store.js'
import { Watchers } from '../lib/watchers.js'

// lmdb is an optional peer (a native addon): only this entry point needs it.
const { open } = await importPeer('lmdb', '@lume/registry/lmdb', async () => await import('lmdb'))

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
  /** The commit scheduled or running now, if any (close waits for it). */
  private committing: Promise<void> | null = null
  private closed = false
  private closing: Promise<void> | null = null

  private constructor (
    private readonly root: RootDatabase,
    private readonly entries: Database<Uint8Array, Uint8Array>,
    private readonly pins: Database<boolean, Uint8Array>,
    private readonly options: LmdbStoreOptions,
    // Counted once at open and kept since: getCount() walks the whole database.
    private keys: number,
    private pinCount: number
  ) {}

  /** Open (or create) the store in directory `path`. */
  static async open (path: string, options: LmdbStoreOptions = {}): Promise<LmdbStore> {
    const root = open({ path, keyEncoding: 'binary', encoding: 'binary', overlappingSync: false })
    const entries = root.openDB<Uint8Array, Uint8Array>({ name: 'entries', keyEncoding: 'binary', encoding: 'binary' })
    const pins = root.openDB<boolean, Uint8Array>({ name: 'pins', keyEncoding: 'binary', encoding: 'msgpack' })
    return new LmdbStore(root, entries, pins, options, entries.getCount(), pins.getCount())
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
      if (this.queue.length === 1) {
        const previous = this.committing ?? Promise.resolve()
        const next: Promise<void> = previous
          .then(async () => await new Promise<void>((resolve) => setImmediate(resolve)))
          .then(async () => await this.commit())
          .finally(() => { if (this.committing === next) this.committing = null })
        this.committing = next
      }
    })
  }

  private async commit (): Promise<void> {
    const batch = this.queue
    this.queue = []
    const outcomes: Array<PutResult | LumeError> = []
    let added = 0
    try {
      this.root.transactionSync(() => {
        for (const { entry } of batch) {
          const outcome = this.decide(entry, this.keys + added)
          if (outcome instanceof NewKey) { added++; outcomes.push(outcome.result) } else outcomes.push(outcome)
        }
      })
      this.keys += added
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

  /** One compare-and-set inside the open write transaction (`keys`: the count so far, with this batch's). */
  private decide (entry: RegistryEntry, keys: number): PutResult | LumeError | NewKey {
    const stored = this.entries.get(entry.pk)
    if (stored !== undefined) {
      const current = this.decode(stored)
      const order = compareEntries(entry, current)
      if (order === 0) return { status: 'same', current }
      if (order < 0) return { status: 'stale', current }
      this.entries.putSync(entry.pk, serializeEntry(entry))
      return { status: 'stored', current: entry }
    }
    if (keys >= (this.options.maxKeys ?? Infinity) && this.pins.get(entry.pk) !== true) {
      return new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${this.options.maxKeys} keys`)
    }
    this.entries.putSync(entry.pk, serializeEntry(entry))
    return new NewKey({ status: 'stored', current: entry })
  }

  async count (): Promise<number> {
    this.assertOpen()
    return this.keys
  }

  async pin (pk: Uint8Array): Promise<void> {
    this.assertOpen()
    const max = this.options.maxPins ?? DEFAULT_MAX_PINS
    const added = this.root.transactionSync(() => {
      if (this.pins.get(pk) === true) return false
      if (this.pinCount >= max) throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${max} pins`)
      this.pins.putSync(pk, true)
      return true
    })
    if (added) this.pinCount++
    await this.root.flushed
  }

  async isPinned (pk: Uint8Array): Promise<boolean> {
    this.assertOpen()
    return this.pins.get(pk) === true
  }

  watch (listener: (entry: RegistryEntry) => void): () => void {
    return this.watchers.add(listener)
  }

  /** Finish the writes already queued (each still answered), then close. */
  close (): Promise<void> {
    // Memoised: a second call settles with the first, once LMDB is closed.
    this.closing ??= (async () => {
      this.closed = true
      while (this.committing !== null) await this.committing
      this.watchers.clear()
      await this.root.close()
    })()
    return this.closing
  }

  private decode (bytes: Uint8Array): RegistryEntry {
    return readStoredEntry(bytes)
  }

  private assertOpen (): void {
    if (this.closed) throw LumeError.closed('LMDB registry store')
  }
}

/** A decision that added a key (the batch counts them). */
class NewKey {
  constructor (readonly result: PutResult) {}
}
