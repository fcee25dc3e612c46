import { ErrorCode, LumeError, toHex } from '@lume/types'
import { compareEntries, type RegistryEntry } from './entry.js'
import type { PutResult, RegistryStore } from './store.js'
import { Watchers } from './watchers.js'

/** Options shared by the stores. */
export interface StoreOptions {
  /** Most keys stored; a write for a new key beyond it fails with `STORE_FULL` (pinned keys excepted). @default unlimited */
  maxKeys?: number
}

/** Entries in memory: for tests, browsers, and relays that need no persistence. */
export class MemoryStore implements RegistryStore {
  private readonly entries = new Map<string, RegistryEntry>()
  private readonly pins = new Set<string>()
  private readonly watchers = new Watchers()

  constructor (private readonly options: StoreOptions = {}) {}

  async get (pk: Uint8Array): Promise<RegistryEntry | null> {
    return this.entries.get(toHex(pk)) ?? null
  }

  async put (entry: RegistryEntry): Promise<PutResult> {
    const key = toHex(entry.pk)
    const current = this.entries.get(key)
    if (current !== undefined) {
      const order = compareEntries(entry, current)
      if (order === 0) return { status: 'same', current }
      if (order < 0) return { status: 'stale', current }
    } else if (this.entries.size >= (this.options.maxKeys ?? Infinity) && !this.pins.has(key)) {
      throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${this.options.maxKeys} keys`)
    }
    this.entries.set(key, entry)
    this.watchers.notify(entry)
    return { status: 'stored', current: entry }
  }

  async count (): Promise<number> {
    return this.entries.size
  }

  async pin (pk: Uint8Array): Promise<void> {
    this.pins.add(toHex(pk))
  }

  async isPinned (pk: Uint8Array): Promise<boolean> {
    return this.pins.has(toHex(pk))
  }

  watch (listener: (entry: RegistryEntry) => void): () => void {
    return this.watchers.add(listener)
  }

  async close (): Promise<void> {
    this.watchers.clear()
  }
}
