/**
 * @packageDocumentation
 * The Redis registry store (Node only): several relays can share one Redis.
 *
 * @example
 * ```ts
 * import { RedisStore } from '@lume/registry/redis'
 * const store = await RedisStore.connect('redis://127.0.0.1:6379', { prefix: 'lume:registry:' })
 * ```
 */
export { RedisStore, type RedisStoreOptions } from './redis-store.js'
