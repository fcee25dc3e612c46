import { toHex } from '@lume/types'
import { compareEntries, type RegistryEntry } from './entry.js'

interface Waiter {
  /** The newest entry not yet taken (older pending ones are superseded: a slow reader gets the latest, nothing piles up). */
  pending: RegistryEntry | null
  wake: (() => void) | null
}

/** Subscribers by key; each holds at most one pending entry. */
export class Subscriptions {
  private readonly byKey = new Map<string, Set<Waiter>>()

  /**
   * Follow `pk` until `signal` aborts: yields entries with a revision above
   * `since`, then every entry that beats the last one yielded (a higher
   * revision, or the winner of an equal-revision conflict). `current` reads
   * the stored entry; it runs once the follower is registered, so a write
   * landing meanwhile is not missed. Ends as soon as `signal` aborts, even
   * while it waits.
   */
  async * follow (pk: Uint8Array, since: number, current: () => Promise<RegistryEntry | null>, signal: AbortSignal): AsyncGenerator<RegistryEntry> {
    if (signal.aborted) return
    const key = toHex(pk)
    const waiter: Waiter = { pending: null, wake: null }
    const set = this.byKey.get(key) ?? new Set()
    set.add(waiter)
    this.byKey.set(key, set)
    const onAbort = (): void => waiter.wake?.()
    signal.addEventListener('abort', onAbort, { once: true })
    let last: RegistryEntry | null = null
    const isNews = (entry: RegistryEntry): boolean => last === null ? entry.revision > since : compareEntries(entry, last) > 0
    try {
      const stored = await current()
      if (stored !== null && isNews(stored)) { last = stored; yield stored }
      while (!signal.aborted) {
        if (waiter.pending === null) await new Promise<void>((resolve) => { waiter.wake = resolve })
        waiter.wake = null
        const next = waiter.pending
        waiter.pending = null
        if (next !== null && !signal.aborted && isNews(next)) { last = next; yield next }
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
      set.delete(waiter)
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key)
    }
  }

  /** A newer entry was stored: hand it to every subscriber of its key. */
  publish (entry: RegistryEntry): void {
    for (const waiter of this.byKey.get(toHex(entry.pk)) ?? []) {
      waiter.pending = entry
      waiter.wake?.()
    }
  }

  /** Subscriptions open now. */
  get size (): number {
    let n = 0
    for (const set of this.byKey.values()) n += set.size
    return n
  }
}
