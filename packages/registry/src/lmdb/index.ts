/**
 * @packageDocumentation
 * The LMDB registry store (Node only): embedded, durable, the relay default.
 *
 * @example
 * ```ts
 * import { LmdbStore } from '@lume/registry/lmdb'
 * const store = await LmdbStore.open('/var/lib/lume-relay/registry')
 * ```
 */
export { LmdbStore, type LmdbStoreOptions } from './lmdb-store.js'
