import type { RegistryEntry } from './entry.js'

/** What a write did. */
export type PutStatus = 'stored' | 'same' | 'stale'

/** The outcome of {@link RegistryStore.put}: what happened and what is stored now. */
export interface PutResult {
  status: PutStatus
  /** The entry stored after the call: the new one, or the newer one that beat it. */
  current: RegistryEntry
}

/**
 * Where a relay keeps registry entries. `put` is an atomic compare-and-set
 * under the conflict rule ({@link compareEntries}): no lost update when
 * writers race. Entries are verified before they get here.
 */
export interface RegistryStore {
  get (pk: Uint8Array): Promise<RegistryEntry | null>
  put (entry: RegistryEntry): Promise<PutResult>
  /** Keys stored. */
  count (): Promise<number>
  /**
   * Keep this key even when the store is full (pinned keys bypass `maxKeys`).
   * Pins have their own cap, `maxPins`: past it `STORE_FULL`. Pinning a pinned key does nothing.
   */
  pin (pk: Uint8Array): Promise<void>
  isPinned (pk: Uint8Array): Promise<boolean>
  /** Entries stored by anyone sharing this store (other relays on one Redis too). Returns an unsubscribe function. */
  watch (listener: (entry: RegistryEntry) => void): () => void
  /** Finish the writes already accepted, then close; later calls fail with `CLOSED`. */
  close (): Promise<void>
}
