/**
 * @packageDocumentation
 * Mutable pointers as S5-format registry entries: a public key maps to a small
 * signed value with a revision. Codec and verification (browser-safe), the
 * in-memory store, the relay plugin and the client. LMDB and Redis stores are
 * at `@lume/registry/lmdb` and `@lume/registry/redis` (Node only).
 *
 * @example
 * ```ts
 * import { RegistryClient } from '@lume/registry'
 *
 * const registry = new RegistryClient(connection)      // an RpcConnection to a relay
 * await registry.set(keyPair, new TextEncoder().encode('feed head: b3…'))
 * const entry = await registry.get(keyPair.publicKey)
 * for await (const update of registry.subscribe(friendKey)) console.log(update.revision)
 * ```
 */
export * from './lib/entry.js'
export type { RegistryStore, PutResult, PutStatus } from './lib/store.js'
export { MemoryStore, DEFAULT_MAX_PINS, type StoreOptions } from './lib/memory-store.js'
export { RegistryMethods, type SetAnswer, type SubscribeRequest } from './lib/methods.js'
export { RegistryClient, type SubscribeOptions } from './lib/client.js'
export { registryPlugin, type RegistryPluginOptions } from './lib/plugin.js'
export { RegistryLimitKinds, RegistryLimitDefaults } from './lib/limits.js'
