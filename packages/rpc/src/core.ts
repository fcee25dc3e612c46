/**
 * @packageDocumentation
 * The relay's core protocol: the methods every relay serves (`core.ping`,
 * `core.info`, `rpc.broadcast`) and the check of a broadcast's answers. The
 * relay serves them (`@lume/relay`, which re-exports this entry); clients
 * call them. See docs/protocol.md, "Core methods".
 *
 * @example
 * ```ts
 * import { RpcConnection } from '@lume/rpc'
 * import { CoreMethods } from '@lume/rpc/core'
 *
 * const conn = RpcConnection.open(dht.connect(relayKey))
 * const info = await conn.call(CoreMethods.info, null)
 * console.log(info.plugins, info.methods)
 * ```
 */
export { CoreMethods, verifyBroadcast, MAX_BROADCAST_RELAYS, type RelayInfo, type BroadcastRequest, type BroadcastEntry, type VerifiedBroadcastEntry } from './lib/core-methods.js'
