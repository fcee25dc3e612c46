import { connectWebSocket, type NoiseStream, type WebSocketLike } from '@lume/rpc'
import { LumeError, toHex } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import type { Dialer } from './pool.js'

/** A WebSocket constructor: the browser's `WebSocket`, or the `ws` package's in Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike

/** Options for {@link webSocketDialer}. */
export interface WebSocketDialerInit {
  /**
   * Each relay's endpoint (`ws://…` or `wss://…`) by its public key in hex;
   * more can be added with `dialer.set()`. A key's URL comes from anywhere —
   * a signed peer record, an invite link, a static list: the Noise handshake
   * proves the relay's key, so the URL itself need not be trusted.
   */
  endpoints?: Readonly<Record<string, string>>
  /** This client's static key pair, which never leaves this side. @default a fresh one per dialer */
  keyPair?: KeyPair
  /** @default globalThis.WebSocket (browsers, Node 22+); pass `ws`'s WebSocket on Node 20 */
  WebSocket?: WebSocketConstructor
}

/** A {@link Dialer} that reaches relays straight over WebSocket. */
export interface WebSocketDialer extends Dialer {
  /** Use `url` for the relay `publicKey` from now on. */
  set (publicKey: Uint8Array, url: string): void
  /** The URL known for a relay, if any. */
  get (publicKey: Uint8Array): string | undefined
  /** This client's public key, as relays see it. */
  readonly publicKey: Uint8Array
}

/**
 * Dial relays over WebSocket: a Noise handshake in which the relay proves
 * the key it was dialed by (another key fails with `HANDSHAKE_FAILED`), then
 * RPC exactly as over HyperDHT. Give it to a `RelayPool` as its dialer.
 *
 * @example
 * ```ts
 * const dialer = webSocketDialer({ endpoints: { [relayKeyHex]: 'wss://relay.example:443' } })
 * const pool = new RelayPool({ dialer, relays: [fromHex(relayKeyHex)] })
 * ```
 */
export function webSocketDialer (init: WebSocketDialerInit = {}): WebSocketDialer {
  const urls = new Map<string, string>(Object.entries(init.endpoints ?? {}).map(([key, url]) => [key.toLowerCase(), checkUrl(url)]))
  const keyPair = init.keyPair ?? generateKeyPair()
  const Socket = init.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  return {
    publicKey: keyPair.publicKey,
    set (publicKey, url) { urls.set(toHex(publicKey), checkUrl(url)) },
    get (publicKey) { return urls.get(toHex(publicKey)) },
    connect (publicKey: Uint8Array): NoiseStream {
      const url = urls.get(toHex(publicKey))
      if (url === undefined) throw LumeError.invalidArgument(`no WebSocket endpoint known for relay ${toHex(publicKey).slice(0, 12)}`)
      if (Socket === undefined) throw LumeError.invalidArgument('no WebSocket implementation: pass one as `WebSocket` (e.g. the ws package on Node 20)')
      return connectWebSocket(new Socket(url), publicKey, { keyPair })
    }
  }
}

function checkUrl (url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw LumeError.invalidArgument(`not a WebSocket URL: ${url}`)
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw LumeError.invalidArgument(`not a WebSocket URL (ws:// or wss://): ${url}`)
  return url
}
