import { verifyAnswer } from '@lume/rpc/signed'
import type { Flood } from '@lume/dht-flood'
import { decode, encode, LumeError, PLUGIN_API_VERSION, toHex, type SignedAnswer, type Plugin, type PluginAPI } from '@lume/types'
import { AnswerCache, type AnswerCacheOptions } from './answer-cache.js'
import { CacheDirectory, type CacheDirectoryOptions } from './directory.js'
import { CacheMethods, decodeAnnouncement, encodeAnnouncement, MAX_HASHES_PER_ANNOUNCE } from './messages.js'

/** Options for {@link DhtCache}. */
export interface DhtCacheInit extends AnswerCacheOptions, CacheDirectoryOptions {
  /** The relay's flood: announcements go out and come in here. */
  flood: Flood
  /** How often new holdings (or, if none, an online heartbeat) are announced. @default 5000 */
  announceIntervalMs?: number
  /** How often expired holders and relays not heard from are forgotten. @default 30000 */
  sweepIntervalMs?: number
  /** Hops an announcement travels. @default 6 */
  announceTtl?: number
}

/**
 * The cache of one relay: keeps the signed answers of cacheable methods,
 * announces which it holds (batched digests over the flood), learns which
 * other relays hold which, and fetches a cached answer from a holder —
 * verified against its original signature before it is stored or served.
 * Add {@link plugin} to the relay.
 */
export class DhtCache {
  readonly cache: AnswerCache
  readonly directory: CacheDirectory
  /** Lookups answered from the cache, and not. */
  readonly stats = { hits: 0, misses: 0 }
  /** The relay plugin (`cache`): installs the answer cache, serves `cache.get`, runs the announcements. */
  readonly plugin: Plugin
  private readonly flood: Flood
  // Cached since the last announcement, by hash: never more than the cache itself can hold.
  private readonly fresh = new Map<string, { hash: Uint8Array, ttlMs: number }>()
  private api: PluginAPI | null = null
  private timer: ReturnType<typeof setInterval> | null = null
  private sweeper: ReturnType<typeof setInterval> | null = null
  private stopListening: (() => void) | null = null
  private closing: Promise<void> | null = null

  constructor (private readonly init: DhtCacheInit) {
    this.flood = init.flood
    this.cache = new AnswerCache(init)
    this.directory = new CacheDirectory(init)
    this.plugin = {
      name: 'cache',
      apiVersion: PLUGIN_API_VERSION,
      start: (api) => this.start(api),
      stop: async () => await this.close()
    }
  }

  /** Relays believed to hold the answer for a request hash. */
  holders (requestHash: Uint8Array): Uint8Array[] {
    return this.directory.holders(requestHash)
  }

  /** Relays heard from recently. */
  online (): Uint8Array[] {
    return this.directory.online()
  }

  /**
   * Fetch the cached answer for a request hash from the relays that announced
   * it, trying each in turn. An answer is kept (and served from here on) only
   * if it verifies against its original relay's signature over this request
   * hash: a lying holder gets nothing stored.
   */
  async fetch (requestHash: Uint8Array, timeoutMs = 3000): Promise<SignedAnswer | null> {
    const local = this.cache.get(requestHash)
    if (local !== null) return local
    const api = this.api
    if (api === null) throw LumeError.closed('cache (not started)')
    for (const holder of this.directory.holders(requestHash)) {
      try {
        const peer = await api.connect(holder, timeoutMs)
        const answer = decode(CacheMethods.get.response, await peer.request(CacheMethods.get.name, encode(CacheMethods.get.request, requestHash), timeoutMs))
        if (answer === null || !verifyAnswer(answer, requestHash)) {
          api.logger.warn({ holder: toHex(holder).slice(0, 12) }, 'a holder offered a cached answer that does not verify; ignored')
          continue
        }
        this.cache.set('fetched', answer, this.announcedTtl(answer))
        return answer
      } catch (err) {
        api.logger.debug({ holder: toHex(holder).slice(0, 12), err }, 'fetching a cached answer failed; trying the next holder')
      }
    }
    return null
  }

  private start (api: PluginAPI): void {
    if (this.closing !== null) throw LumeError.closed('cache')
    this.api = api
    api.useAnswerCache({
      lookup: (_method, hash) => {
        const hit = this.cache.get(hash)
        if (hit === null) this.stats.misses++
        else this.stats.hits++
        return hit
      },
      store: (method, answer, ttlMs) => {
        if (!this.cache.set(method, answer, ttlMs)) return
        const key = toHex(answer.requestHash)
        if (this.fresh.has(key) || this.fresh.size < (this.init.maxEntries ?? 10_000)) this.fresh.set(key, { hash: answer.requestHash, ttlMs })
      }
    })
    api.registerMethod({ ...CacheMethods.get, name: 'get', handler: (hash) => this.cache.get(hash) })
    const offMessage = this.flood.on('message', ({ origin, payload }) => {
      const announcement = decodeAnnouncement(payload)
      if (announcement === null) return
      if (announcement.type === 'have') this.directory.record(origin, announcement.hashes, announcement.ttlMs)
      else if (announcement.type === 'gone') this.directory.forget(origin, announcement.hashes)
      else this.directory.seen(origin)
    })
    this.stopListening = offMessage
    this.timer = setInterval(() => this.announce(), this.init.announceIntervalMs ?? 5000)
    this.timer.unref?.()
    // Announcements from anyone land in the directory: forget them when they expire, not only when looked up.
    this.sweeper = setInterval(() => this.directory.sweep(), this.init.sweepIntervalMs ?? 30_000)
    this.sweeper.unref?.()
  }

  /** Announce what was cached since the last time, in digests; or say "online" when there is nothing new. */
  private announce (): void {
    const ttl = this.init.announceTtl ?? 6
    if (this.fresh.size === 0) {
      this.safeBroadcast(encodeAnnouncement({ type: 'online' }), ttl)
      return
    }
    const batch = [...this.fresh.values()]
    this.fresh.clear()
    // One digest per TTL, up to the size cap each: holders learn how long to believe the announcement.
    const byTtl = new Map<number, Uint8Array[]>()
    for (const { hash, ttlMs } of batch) {
      const list = byTtl.get(ttlMs)
      if (list === undefined) byTtl.set(ttlMs, [hash])
      else list.push(hash)
    }
    for (const [ttlMs, hashes] of byTtl) {
      for (let i = 0; i < hashes.length; i += MAX_HASHES_PER_ANNOUNCE) {
        this.safeBroadcast(encodeAnnouncement({ type: 'have', ttlMs, hashes: hashes.slice(i, i + MAX_HASHES_PER_ANNOUNCE) }), ttl)
      }
    }
  }

  private safeBroadcast (payload: Uint8Array, ttl: number): void {
    try {
      this.flood.broadcast(payload, { ttl })
    } catch (err) {
      this.api?.logger.warn({ err }, 'cache announcement failed')
    }
  }

  /** How long to keep a fetched answer: a short default (the holder's TTL is not known). */
  private announcedTtl (answer: SignedAnswer): number {
    return Math.max(1000, 60_000 - Math.max(0, Date.now() - answer.timestamp))
  }

  /**
   * Stop announcing and listening to the flood, and clear the timers (the
   * relay calls it through the plugin's `stop`). Idempotent: every call
   * returns the same promise, settled once everything is released. The flood
   * is not closed: it is not the cache's.
   */
  close (): Promise<void> {
    this.closing ??= Promise.resolve().then(() => {
      if (this.timer !== null) clearInterval(this.timer)
      if (this.sweeper !== null) clearInterval(this.sweeper)
      this.timer = this.sweeper = null
      this.stopListening?.()
      this.stopListening = null
      this.api = null
    })
    return this.closing
  }
}
