/**
 * @packageDocumentation
 * Popular answers served by many relays, BitTorrent-style: each relay keeps
 * the signed answers of cacheable methods, announces over the flood which it
 * holds, and learns who holds what. A relay or client can fetch a cached
 * answer from any holder; it keeps its **original** relay's signature, and is
 * verified before it is stored or served.
 *
 * @example
 * ```ts
 * import { DhtCache } from '@lume/dht-cache'
 *
 * const flood = new Flood({ keyPair })
 * const cache = new DhtCache({ flood })
 * await createRelay({ keyPair, bootstrap, plugins: [floodPlugin(flood), cache.plugin, myPlugin] })
 * // myPlugin's methods with `cacheTtlMs` are now answered from the cache when a signed answer is asked for.
 * const answer = await cache.fetch(requestHash(method, body))   // from whichever relay announced it
 * ```
 */
export { DhtCache, type DhtCacheInit } from './lib/dht-cache.js'
export { AnswerCache, type AnswerCacheOptions } from './lib/answer-cache.js'
export { CacheDirectory, type CacheDirectoryOptions, type CacheDirectorySize } from './lib/directory.js'
export { CacheMethods, cachedAnswerCodec, encodeAnnouncement, decodeAnnouncement, CACHE_TOPIC, MAX_HASHES_PER_ANNOUNCE, type CacheAnnouncement } from './lib/messages.js'
