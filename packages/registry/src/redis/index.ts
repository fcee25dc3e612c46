/**
 * @packageDocumentation
 * The Redis registry stores (Node only): several relays can share one Redis,
 * or a Redis Cluster when one instance is outgrown.
 *
 * @example
 * ```ts
 * import { RedisStore, RedisClusterStore } from '@lume/registry/redis'
 * const store = await RedisStore.connect('redis://127.0.0.1:6379', { prefix: 'lume:registry:' })
 * const shared = await RedisClusterStore.connect(['10.0.0.1:6379', '10.0.0.2:6379', '10.0.0.3:6379'])
 * ```
 */
export { RedisStore, type RedisStoreOptions } from './redis-store.js'
export { RedisClusterStore, type RedisClusterStoreOptions } from './redis-cluster-store.js'
