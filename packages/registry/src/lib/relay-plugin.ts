import { join } from 'node:path'
import { z } from 'zod'
import type { Flood } from '@lume/dht-flood'
import { ErrorCode, fromHex, LumeError, PLUGIN_API_VERSION, type Plugin } from '@lume/types'
import { MemoryStore } from './memory-store.js'
import { registryPlugin } from './plugin.js'
import type { RegistryStore } from './store.js'

/**
 * The registry's config section in a relay config (`plugin.registry`).
 * Unknown keys are errors.
 */
export const configSchema = z.strictObject({
  /**
   * Where entries are kept: `lmdb` (durable, in the relay directory), `redis`
   * (shared), `redis-cluster` (shared, past one Redis: `redisNodes`) or `memory`.
   */
  store: z.enum(['lmdb', 'redis', 'redis-cluster', 'memory']).default('lmdb'),
  /** The LMDB directory. @default `<relay dir>/plugins/registry/lmdb` */
  path: z.string().optional(),
  /** The Redis server, for `store: redis`. */
  redisUrl: z.string().default('redis://127.0.0.1:6379'),
  /** Masters of the Redis Cluster (`host:port`, any few of them), for `store: redis-cluster`. */
  redisNodes: z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'a Redis Cluster node is host:port')).default([]),
  /** Redis key prefix; relays sharing entries use the same one (no `{` or `}` with a cluster). */
  redisPrefix: z.string().default('lume:registry:'),
  /** Most keys stored; a write for a new key beyond it fails with `STORE_FULL`. */
  maxKeys: z.number().int().positive().default(1_000_000),
  /** Most pinned keys (pins may go past maxKeys). */
  maxPins: z.number().int().positive().default(10_000),
  /** Public keys (64 hex digits) allowed to call `registry.pin`; the relay's own key always is. */
  operators: z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, 'an operator key is 64 hex digits')).default([]),
  /** Keys this relay waits on from its neighbours at once. */
  maxWants: z.number().int().positive().default(1024),
  /** Largest entry data accepted, bytes. */
  maxData: z.number().int().min(1).max(255).default(64),
  /** How long a `get` for an unknown key waits for neighbours to answer, ms. */
  pullTimeoutMs: z.number().int().positive().default(500),
  /** Hops an announced entry travels. @default the flood plugin's `ttl` */
  floodTtl: z.number().int().min(1).max(255).optional()
}).refine((config) => config.store !== 'redis-cluster' || config.redisNodes.length > 0, { message: 'store: redis-cluster needs redisNodes (host:port of the masters)', path: ['redisNodes'] })

/** The registry's validated config section. */
export type RegistryRelayPluginConfig = z.output<typeof configSchema>

/** The config section this module's plugin reads: `plugin.registry`. */
export const pluginName = 'registry'

/**
 * The registry as a relay loads it by name (`plugins: ['@lume/registry']`):
 * opens the configured store (LMDB under the plugin's own directory by
 * default), spreads entries over the relay's shared flood when the flood
 * plugin is loaded (`api.use('flood')`), provides the store to later
 * plugins (`api.use<RegistryStore>('registry')`), and closes it on stop.
 */
export default function relayRegistryPlugin (): Plugin {
  let store: RegistryStore | null = null
  let inner: Plugin | null = null
  return {
    name: pluginName,
    apiVersion: PLUGIN_API_VERSION,
    // Started after the flood when both are configured, in whatever order.
    uses: ['flood'],
    async start (api) {
      const config = configSchema.parse(api.config)
      store = await openStore(config, api.dataDir)
      const opened = store
      api.metrics.gauge('keys', 'Registry keys stored', { read: async () => await opened.count() })
      try {
        const flood = api.use<Flood>('flood')
        inner = registryPlugin({
          store,
          maxData: config.maxData,
          operators: config.operators.map((key) => fromHex(key, 32)),
          maxWants: config.maxWants,
          pullTimeoutMs: config.pullTimeoutMs,
          ...(config.floodTtl === undefined ? {} : { floodTtl: config.floodTtl }),
          ...(flood === undefined ? {} : { flood })
        })
        await inner.start(api)
        // Later plugins (and apps' own) may read the store: `api.use<RegistryStore>('registry')`.
        api.provide(store)
      } catch (err) {
        await store.close()
        throw err
      }
    },
    async stop () {
      await inner?.stop?.()
      await store?.close()
    }
  }
}

async function openStore (config: RegistryRelayPluginConfig, dataDir: string | null): Promise<RegistryStore> {
  // Only the chosen backend is imported: a relay on Redis needs no lmdb binary.
  const limits = { maxKeys: config.maxKeys, maxPins: config.maxPins }
  if (config.store === 'memory') return new MemoryStore(limits)
  if (config.store === 'redis') {
    const { RedisStore } = await import('../redis/redis-store.js')
    return await RedisStore.connect(config.redisUrl, { ...limits, prefix: config.redisPrefix })
  }
  if (config.store === 'redis-cluster') {
    const { RedisClusterStore } = await import('../redis/redis-cluster-store.js')
    return await RedisClusterStore.connect(config.redisNodes, { ...limits, prefix: config.redisPrefix })
  }
  const path = config.path ?? (dataDir === null ? null : join(dataDir, 'lmdb'))
  if (path === null) throw new LumeError(ErrorCode.PLUGIN_FAILED, 'the LMDB registry needs plugin.registry.path (this relay has no directory)')
  const { LmdbStore } = await import('../lmdb/lmdb-store.js')
  return await LmdbStore.open(path, limits)
}
