import { toHex } from '@lume/types'
import type { RegistryEntry } from './entry.js'

interface Waiter {
  /** The newest entry not yet taken (older pending ones are superseded: a slow reader gets the latest, nothing piles up). */
  pending: RegistryEntry | null
  wake: (() => void) | null
}

/** Subscribers by key; each holds at most one pending entry. */
export class Subscriptions {
  private readonly byKey = new Map<string, Set<Waiter>>()

  /** Follow `pk` until `signal` aborts: yields entries newer than `since`, newest first when behind. */
  async * follow (pk: Uint8Array, since: number, current: RegistryEntry | null, signal: AbortSignal): AsyncGenerator<RegistryEntry> {
    const key = toHex(pk)
    const waiter: Waiter = { pending: null, wake: null }
    const set = this.byKey.get(key) ?? new Set()
    set.add(waiter)
    this.byKey.set(key, set)
    const onAbort = (): void => waiter.wake?.()
    signal.addEventListener('abort', onAbort, { once: true })
    let last = since
    try {
      if (current !== null && current.revision > last) { last = current.revision; yield current }
      while (!signal.aborted) {
        if (waiter.pending === null) await new Promise<void>((resolve) => { waiter.wake = resolve })
        waiter.wake = null
        const next = waiter.pending
        waiter.pending = null
        if (next !== null && next.revision > last) { last = next.revision; yield next }
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
      set.delete(waiter)
      if (set.size === 0) this.byKey.delete(key)
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
