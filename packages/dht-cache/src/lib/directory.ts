import { fromHex, toHex } from '@lume/types'

/**
 * What this relay has heard over the flood: which relays hold which cached
 * answers (until their TTL), and which relays were seen recently.
 */
export class CacheDirectory {
  private readonly holdersByHash = new Map<string, Map<string, number>>()
  private readonly lastSeen = new Map<string, number>()

  constructor (private readonly onlineForMs = 60_000, private readonly maxHashes = 100_000) {}

  /** `relay` says it holds these hashes for `ttlMs`. */
  record (relay: Uint8Array, hashes: Uint8Array[], ttlMs: number, now = Date.now()): void {
    const id = toHex(relay)
    this.lastSeen.set(id, now)
    for (const hash of hashes) {
      const key = toHex(hash)
      const holders = this.holdersByHash.get(key) ?? new Map<string, number>()
      holders.set(id, now + ttlMs)
      this.holdersByHash.delete(key)
      this.holdersByHash.set(key, holders)
    }
    // Bounded: the hashes heard of longest ago are forgotten first.
    for (const key of this.holdersByHash.keys()) {
      if (this.holdersByHash.size <= this.maxHashes) break
      this.holdersByHash.delete(key)
    }
  }

  /** `relay` is alive. */
  seen (relay: Uint8Array, now = Date.now()): void {
    this.lastSeen.set(toHex(relay), now)
  }

  /** Relays believed to hold the answer for `hash` now. */
  holders (hash: Uint8Array, now = Date.now()): Uint8Array[] {
    const holders = this.holdersByHash.get(toHex(hash))
    if (holders === undefined) return []
    const live: Uint8Array[] = []
    for (const [id, until] of holders) {
      if (until > now) live.push(fromHex(id))
      else holders.delete(id)
    }
    return live
  }

  /** Relays seen within the last `onlineForMs`. */
  online (now = Date.now()): Uint8Array[] {
    const out: Uint8Array[] = []
    for (const [id, at] of this.lastSeen) {
      if (now - at <= this.onlineForMs) out.push(fromHex(id))
      else this.lastSeen.delete(id)
    }
    return out
  }
}
