import { BoundedMap, fromHex, toHex } from '@lume/types'

/** Limits of a {@link CacheDirectory}; every one has a default. */
export interface CacheDirectoryOptions {
  /** Relays count as online this long after they were last heard. @default 60,000 */
  onlineForMs?: number
  /** Request hashes remembered (those heard of longest ago go first). @default 50,000 */
  maxHashes?: number
  /** Holders remembered per hash (the earliest announcer goes first). @default 16 */
  maxHoldersPerHash?: number
  /** Holder records in all (hashes heard of longest ago go first). @default 50,000 */
  maxHolders?: number
  /** Longest an announcement is believed, whatever TTL it claims. @default 600,000 (10 min) */
  maxAnnounceTtlMs?: number
  /** Relays remembered as last seen (the one heard of longest ago goes first). @default 10,000 */
  maxRelays?: number
}

/** How much a {@link CacheDirectory} holds. */
export interface CacheDirectorySize {
  hashes: number
  holders: number
  relays: number
}

/**
 * What this relay has heard over the flood: which relays hold which cached
 * answers (until their TTL), and which relays were seen recently. Anyone can
 * announce under fresh keys, so everything here is capped and
 * {@link sweep} drops what expired without waiting for a lookup.
 */
export class CacheDirectory {
  // Both maps are kept in the order entries were last touched: the first is the stalest.
  private readonly holdersByHash = new Map<string, Map<string, number>>()
  private readonly lastSeen: BoundedMap<string, number>
  private holderCount = 0
  private readonly limits: Required<CacheDirectoryOptions>

  constructor (options: CacheDirectoryOptions = {}) {
    this.limits = {
      onlineForMs: options.onlineForMs ?? 60_000,
      maxHashes: options.maxHashes ?? 50_000,
      maxHoldersPerHash: options.maxHoldersPerHash ?? 16,
      maxHolders: options.maxHolders ?? 50_000,
      maxAnnounceTtlMs: options.maxAnnounceTtlMs ?? 600_000,
      maxRelays: options.maxRelays ?? 10_000
    }
    this.lastSeen = new BoundedMap(this.limits.maxRelays)
  }

  /** Hashes, holder records and last-seen relays held now. */
  get size (): CacheDirectorySize {
    return { hashes: this.holdersByHash.size, holders: this.holderCount, relays: this.lastSeen.size }
  }

  /** `relay` says it holds these hashes for `ttlMs` (at most `maxAnnounceTtlMs`). */
  record (relay: Uint8Array, hashes: Uint8Array[], ttlMs: number, now = Date.now()): void {
    const id = toHex(relay)
    const until = now + Math.min(Math.max(0, ttlMs), this.limits.maxAnnounceTtlMs)
    this.seen(relay, now)
    for (const hash of hashes) {
      const key = toHex(hash)
      const holders = this.holdersByHash.get(key) ?? new Map<string, number>()
      if (holders.delete(id)) this.holderCount--
      holders.set(id, until)
      this.holderCount++
      if (holders.size > this.limits.maxHoldersPerHash) {
        holders.delete(holders.keys().next().value as string)
        this.holderCount--
      }
      this.holdersByHash.delete(key)
      this.holdersByHash.set(key, holders)
    }
    // Bounded: the hashes heard of longest ago are forgotten first.
    for (const [key, holders] of this.holdersByHash) {
      if (this.holdersByHash.size <= this.limits.maxHashes && this.holderCount <= this.limits.maxHolders) break
      this.dropHash(key, holders)
    }
  }

  /** `relay` says it no longer holds these hashes: it stops being named for them (a relay withdraws only itself). */
  forget (relay: Uint8Array, hashes: Uint8Array[], now = Date.now()): void {
    const id = toHex(relay)
    this.seen(relay, now)
    for (const hash of hashes) {
      const key = toHex(hash)
      const holders = this.holdersByHash.get(key)
      if (holders === undefined || !holders.delete(id)) continue
      this.holderCount--
      if (holders.size === 0) this.holdersByHash.delete(key)
    }
  }

  /** `relay` is alive. */
  seen (relay: Uint8Array, now = Date.now()): void {
    const id = toHex(relay)
    this.lastSeen.set(id, now)
  }

  /** Relays believed to hold the answer for `hash` now. */
  holders (hash: Uint8Array, now = Date.now()): Uint8Array[] {
    const key = toHex(hash)
    const holders = this.holdersByHash.get(key)
    if (holders === undefined) return []
    this.dropExpired(key, holders, now)
    return [...holders.keys()].map((id) => fromHex(id))
  }

  /** Relays seen within the last `onlineForMs`. */
  online (now = Date.now()): Uint8Array[] {
    this.sweepLastSeen(now)
    return [...this.lastSeen.keys()].map((id) => fromHex(id))
  }

  /** Forget expired holders and relays not heard within `onlineForMs` (the cache runs this on a timer). */
  sweep (now = Date.now()): void {
    for (const [key, holders] of this.holdersByHash) this.dropExpired(key, holders, now)
    this.sweepLastSeen(now)
  }

  private dropExpired (key: string, holders: Map<string, number>, now: number): void {
    for (const [id, until] of holders) {
      if (until > now) continue
      holders.delete(id)
      this.holderCount--
    }
    if (holders.size === 0) this.holdersByHash.delete(key)
  }

  private dropHash (key: string, holders: Map<string, number>): void {
    this.holderCount -= holders.size
    this.holdersByHash.delete(key)
  }

  private sweepLastSeen (now: number): void {
    // Oldest first: stop at the first relay still online.
    for (const [id, at] of this.lastSeen) {
      if (now - at <= this.limits.onlineForMs) break
      this.lastSeen.delete(id)
    }
  }
}
