import { z } from 'zod'
import type { Flood } from '@lume/dht-flood'
import { ErrorCode, LumeError, PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { DhtCache } from './dht-cache.js'

/**
 * The cache's config section in a relay config (`plugin.cache`), every key
 * optional with the `DhtCache` defaults. Unknown keys are errors.
 */
export const configSchema = z.strictObject({
  /** Most answers kept. */
  maxEntries: z.number().int().positive().default(10_000),
  /** Most answer bytes kept. */
  maxBytes: z.number().int().positive().default(32 * 1024 * 1024),
  /** How often holdings are announced over the flood, ms. */
  announceIntervalMs: z.number().int().positive().default(5000),
  /** Hops an announcement travels. */
  announceTtl: z.number().int().min(1).max(255).default(6),
  /** Request hashes remembered (who holds what). */
  maxHashes: z.number().int().positive().default(50_000),
  /** Holder records in all. */
  maxHolders: z.number().int().positive().default(50_000),
  /** Relays remembered as last seen. */
  maxRelays: z.number().int().positive().default(10_000)
})

/** The cache's validated config section. */
export type CachePluginConfig = z.output<typeof configSchema>

/** The config section this module's plugin reads: `plugin.cache`. */
export const pluginName = 'cache'

/**
 * The cache as a relay loads it by name (`plugins: ['@lume/dht-flood',
 * '@lume/dht-cache']`): it needs the flood plugin (announcements travel on
 * the relay's shared flood, `api.use('flood')`), serves `cache.get`, and
 * provides its `DhtCache` to later plugins as `api.use<DhtCache>('cache')`.
 */
export default function relayCachePlugin (): Plugin {
  let cache: DhtCache | null = null
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    dependsOn: ['flood'],
    async start (api) {
      const config = configSchema.parse(api.config)
      const flood = api.use<Flood>('flood')
      if (flood === undefined) throw new LumeError(ErrorCode.PLUGIN_FAILED, 'the cache needs the flood plugin (@lume/dht-flood) loaded before it')
      const made = new DhtCache({ ...config, flood })
      cache = made
      api.metrics.counter('hits_total', 'Signed calls answered from the cache', { read: () => made.stats.hits })
      api.metrics.counter('misses_total', 'Signed calls to cacheable methods not in the cache', { read: () => made.stats.misses })
      api.metrics.gauge('hit_ratio', 'Share of cacheable signed calls answered from the cache since start (0 before any)', {
        read: () => made.stats.hits + made.stats.misses === 0 ? 0 : made.stats.hits / (made.stats.hits + made.stats.misses)
      })
      api.metrics.gauge('entries', 'Answers held in the cache', { read: () => made.cache.size })
      await cache.plugin.start(api)
      api.provide(cache)
    },
    async stop () {
      await cache?.plugin.stop?.()
    }
  }
}
