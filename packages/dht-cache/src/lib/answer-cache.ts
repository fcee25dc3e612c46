import { toHex, type SignedAnswer } from '@lume/types'

interface Slot {
  answer: SignedAnswer
  method: string
  expiresAt: number
  bytes: number
}

/** Options for {@link AnswerCache}. */
export interface AnswerCacheOptions {
  /** Most answers kept. @default 10,000 */
  maxEntries?: number
  /** Most answer bytes kept. @default 32 MiB */
  maxBytes?: number
}

/**
 * Signed answers by request hash, bounded by count and bytes (least recently
 * used go first) and expiring by their method's TTL.
 */
export class AnswerCache {
  private readonly slots = new Map<string, Slot>()
  private bytes = 0
  private readonly maxEntries: number
  private readonly maxBytes: number

  constructor (options: AnswerCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024
  }

  /** Answers held now. */
  get size (): number {
    return this.slots.size
  }

  /** Bytes held now. */
  get byteSize (): number {
    return this.bytes
  }

  /** The live answer for a request hash (and it becomes the most recently used), or null. */
  get (requestHash: Uint8Array, now = Date.now()): SignedAnswer | null {
    const key = toHex(requestHash)
    const slot = this.slots.get(key)
    if (slot === undefined) return null
    if (slot.expiresAt <= now) { this.remove(key, slot); return null }
    this.slots.delete(key)
    this.slots.set(key, slot)
    return slot.answer
  }

  /** Keep `answer` for `ttlMs`. An answer bigger than the whole cache is not kept. */
  set (method: string, answer: SignedAnswer, ttlMs: number, now = Date.now()): boolean {
    const size = answer.body.byteLength + 200 + answer.proof.siblings.length * 32
    if (size > this.maxBytes || ttlMs <= 0) return false
    const key = toHex(answer.requestHash)
    const old = this.slots.get(key)
    if (old !== undefined) this.remove(key, old)
    this.slots.set(key, { answer, method, expiresAt: now + ttlMs, bytes: size })
    this.bytes += size
    for (const [k, slot] of this.slots) {
      if (this.slots.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.remove(k, slot)
    }
    return true
  }

  /** Milliseconds the answer for a hash has left (0 if none). */
  ttlLeft (requestHash: Uint8Array, now = Date.now()): number {
    const slot = this.slots.get(toHex(requestHash))
    return slot === undefined ? 0 : Math.max(0, slot.expiresAt - now)
  }

  private remove (key: string, slot: Slot): void {
    this.slots.delete(key)
    this.bytes -= slot.bytes
  }
}
