import type { PeerRecord } from './record.js'

/**
 * The WebSocket endpoints (`ws://…`, `wss://…`) a relay lists in its signed
 * record, in its order of preference. Give one to a WebSocket dialer
 * (`webSocketDialer().set(record.publicKey, url)` in `@lume/rpc-client`): the
 * connection's Noise handshake then proves the relay's key, so the path from
 * a key to an authenticated connection trusts no server on the way.
 */
export function webSocketEndpoints (record: PeerRecord): string[] {
  return record.addresses.filter((address) => /^wss?:\/\//i.test(address))
}
