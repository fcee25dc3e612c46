import NoiseSecretStream from '@hyperswarm/secret-stream'
import { ErrorCode, LumeError, toHex, type KeyPair } from '@lume/types'
import type { FramedStream } from './connection.js'
import { WebSocketStream, type WebSocketLike } from './websocket-stream.js'

/**
 * A Noise-encrypted stream over a WebSocket, as RPC runs on it: the same
 * secret stream HyperDHT connections use, so `RpcConnection.open` takes it
 * as it is.
 */
export interface NoiseStream extends FramedStream {
  /** The peer's static public key once the handshake is done. */
  readonly remotePublicKey: Uint8Array | null
  /** Our static public key. */
  readonly publicKey: Uint8Array | null
  /** Resolves true when the handshake completed, false if the stream closed first. */
  readonly opened: Promise<boolean>
  /** The WebSocket underneath, with the peer's address as the server saw it. */
  readonly rawStream: { readonly remoteHost: string, readonly remotePort: number }
  once (event: string, listener: (...args: unknown[]) => void): unknown
}

/**
 * Open a Noise stream to the relay `remotePublicKey` over `socket` (a
 * WebSocket, open or connecting). The Noise IK pattern encrypts the first
 * message to that key, so only its holder can complete the handshake: an
 * endpoint with any other key fails it with `HANDSHAKE_FAILED`, and the
 * traffic is end-to-end encrypted even over `ws://`. Our own key pair
 * (`keyPair`, or a fresh one) never leaves this side.
 */
export function connectWebSocket (socket: WebSocketLike, remotePublicKey: Uint8Array, options: { keyPair?: KeyPair } = {}): NoiseStream {
  if (!(remotePublicKey instanceof Uint8Array) || remotePublicKey.byteLength !== 32) throw LumeError.invalidArgument('remotePublicKey must be 32 bytes')
  const raw = new WebSocketStream(socket)
  const noise = new NoiseSecretStream(true, raw, { pattern: 'IK', remotePublicKey, ...(options.keyPair === undefined ? {} : { keyPair: options.keyPair }) })
  let open = false
  noise.once('open', () => { open = true })
  // Registered after the raw stream's own listener, so it runs before the
  // secret stream learns of the close and fails with its generic error.
  socket.addEventListener('close', () => {
    if (open || !raw.wasOpened) return
    noise.destroy(new LumeError(ErrorCode.HANDSHAKE_FAILED, `the endpoint did not prove key ${toHex(remotePublicKey).slice(0, 16)}… (Noise IK handshake failed)`))
  })
  return noise as unknown as NoiseStream
}

/**
 * Answer a WebSocket as the relay `keyPair`: the responder side of
 * {@link connectWebSocket}. `remote` is the peer's address as the server saw it.
 */
export function acceptWebSocket (socket: WebSocketLike, keyPair: KeyPair, remote: { host?: string, port?: number } = {}): NoiseStream {
  const raw = new WebSocketStream(socket, remote)
  return new NoiseSecretStream(false, raw, { pattern: 'IK', keyPair }) as unknown as NoiseStream
}
