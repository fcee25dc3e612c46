import { ErrorCode, LumeError } from '@lume/types'
import { bytesToString, stringToBytes } from './byte-string.js'
import { compareEntries, readStoredEntry, serializeEntry, type RegistryEntry } from './entry.js'
import type { PutResult, RegistryStore } from './store.js'
import { Watchers } from './watchers.js'

/** Options shared by the stores. */
export interface StoreOptions {
  /** Most keys stored; a write for a new key beyond it fails with `STORE_FULL` (pinned keys excepted). @default unlimited */
  maxKeys?: number
  /**
   * Most pinned keys; a pin beyond it fails with `STORE_FULL`. Pinned keys may
   * go past `maxKeys`, so a store holds at most `maxKeys + maxPins` keys.
   * @default 10000
   */
  maxPins?: number
}

/** Default {@link StoreOptions.maxPins}. */
export const DEFAULT_MAX_PINS = 10_000

/** Entries in memory: for tests, browsers, and relays that need no persistence. */
export class MemoryStore implements RegistryStore {
  // Key and serialized entry as one-byte strings: ~0.4 KB a key, where objects took 1.25 KB.
  private readonly entries = new Map<string, string>()
  private readonly pins = new Set<string>()
  private readonly watchers = new Watchers()
  private closed = false

  constructor (private readonly options: StoreOptions = {}) {}

  async get (pk: Uint8Array): Promise<RegistryEntry | null> {
    this.assertOpen()
    const stored = this.entries.get(bytesToString(pk))
    return stored === undefined ? null : readStoredEntry(stringToBytes(stored))
  }

  async put (entry: RegistryEntry): Promise<PutResult> {
    this.assertOpen()
    const key = bytesToString(entry.pk)
    const stored = this.entries.get(key)
    if (stored !== undefined) {
      const current = readStoredEntry(stringToBytes(stored))
      const order = compareEntries(entry, current)
      if (order === 0) return { status: 'same', current }
      if (order < 0) return { status: 'stale', current }
    } else if (this.entries.size >= (this.options.maxKeys ?? Infinity) && !this.pins.has(key)) {
      throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${this.options.maxKeys} keys`)
    }
    this.entries.set(key, bytesToString(serializeEntry(entry)))
    this.watchers.notify(entry)
    return { status: 'stored', current: entry }
  }

  async count (): Promise<number> {
    this.assertOpen()
    return this.entries.size
  }

  async pin (pk: Uint8Array): Promise<void> {
    this.assertOpen()
    const key = bytesToString(pk)
    if (this.pins.has(key)) return
    const max = this.options.maxPins ?? DEFAULT_MAX_PINS
    if (this.pins.size >= max) throw new LumeError(ErrorCode.STORE_FULL, `registry store holds its limit of ${max} pins`)
    this.pins.add(key)
  }

  async isPinned (pk: Uint8Array): Promise<boolean> {
    this.assertOpen()
    return this.pins.has(bytesToString(pk))
  }

  watch (listener: (entry: RegistryEntry) => void): () => void {
    return this.watchers.add(listener)
  }

  async close (): Promise<void> {
    this.closed = true
    this.watchers.clear()
  }

  private assertOpen (): void {
    if (this.closed) throw LumeError.closed('memory registry store')
  }
}
