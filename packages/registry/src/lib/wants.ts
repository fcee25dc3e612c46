import { toHex } from '@lume/types'
import type { RegistryEntry } from './entry.js'

interface Want {
  /** Neighbours asked that have not answered yet (hex keys): only they may answer, once each. */
  asked: Set<string>
  waiters: Array<(entry: RegistryEntry | null) => void>
  timer: ReturnType<typeof setTimeout>
  /** The newest entry offered so far (waiters already have it; later ones get it too). */
  found: RegistryEntry | null
}

/**
 * The keys this relay asked its neighbours for and is still waiting on. A
 * neighbour's direct `have` is taken only for a key in here, only from a
 * neighbour that was asked, and only once: entries nobody asked for are
 * dropped. Bounded (`max` keys) and expiring (`timeoutMs`).
 */
export class Wants {
  private readonly byKey = new Map<string, Want>()

  constructor (private readonly max: number, private readonly timeoutMs: number) {}

  /**
   * Wait for `pk` from the neighbours in `asked`: resolves with the first
   * entry offered, or null after the timeout. Returns null at once when the
   * set is full (the caller answers from its own store). `ask` runs only for
   * a key not already wanted.
   */
  wait (pk: Uint8Array, asked: Uint8Array[], ask: () => void): Promise<RegistryEntry | null> | null {
    const key = toHex(pk)
    const existing = this.byKey.get(key)
    if (existing === undefined && this.byKey.size >= this.max) return null
    return new Promise((resolve) => {
      if (existing !== undefined) {
        if (existing.found !== null) resolve(existing.found)
        else existing.waiters.push(resolve)
        return
      }
      const timer = setTimeout(() => this.settle(key, null), this.timeoutMs)
      timer.unref?.()
      this.byKey.set(key, { asked: new Set(asked.map((n) => toHex(n))), waiters: [resolve], timer, found: null })
      ask()
    })
  }

  /**
   * May `from` answer for `pk`? True once per neighbour asked (the caller then
   * verifies and stores the entry), false for anything not asked for.
   */
  take (pk: Uint8Array, from: Uint8Array): boolean {
    const want = this.byKey.get(toHex(pk))
    return want?.asked.delete(toHex(from)) === true
  }

  /**
   * `from`, asked for `pk`, has none: once every neighbour asked has answered
   * and none had it, the waiters get null at once instead of at the timeout.
   */
  none (pk: Uint8Array, from: Uint8Array): void {
    const key = toHex(pk)
    const want = this.byKey.get(key)
    if (want === undefined || !want.asked.delete(toHex(from))) return
    if (want.asked.size === 0) this.settle(key, want.found)
  }

  /** An entry for a wanted key arrived (and was verified): wake the waiters. */
  settle (key: string, entry: RegistryEntry | null): void {
    const want = this.byKey.get(key)
    if (want === undefined) return
    if (entry !== null && want.asked.size > 0) {
      // Others may still offer a newer one; the waiters get this one now.
      want.found = entry
      for (const resolve of want.waiters.splice(0)) resolve(entry)
      return
    }
    clearTimeout(want.timer)
    this.byKey.delete(key)
    for (const resolve of want.waiters) resolve(entry)
  }

  /** Keys wanted now. */
  get size (): number {
    return this.byKey.size
  }

  /** Drop every want (the plugin stops): waiters get null. */
  clear (): void {
    for (const key of [...this.byKey.keys()]) this.settle(key, null)
  }
}
