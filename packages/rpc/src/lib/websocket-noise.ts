import Noise from 'noise-handshake'
import NoiseSecretStream from '@hyperswarm/secret-stream'
import { ErrorCode, LumeError, toHex } from '@lume/types'
import { generateKeyPair, type KeyPair } from '@lume/crypto'
import type { FramedStream } from './connection.js'
import { ed25519NoiseCurve } from './noise-curve.js'
import { WebSocketStream, type MessageLike, type WebSocketLike } from './websocket-stream.js'

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
  /** The transport underneath, with the peer's address as the server saw it. */
  readonly rawStream: { readonly remoteHost: string, readonly remotePort: number } | null
  once (event: string, listener: (...args: unknown[]) => void): unknown
}

const PROLOGUE = new Uint8Array(0)
/** Noise messages are framed as the secret stream frames everything: u24 LE length ‖ bytes. */
const FRAME_HEADER = 3
/** The responder's IK reply is 48 bytes (e, empty payload's tag); anything much bigger is not a handshake. */
const MAX_HANDSHAKE_FRAME = 1024

/**
 * Open a Noise stream to the relay `remotePublicKey` over `socket` (a
 * WebSocket, open or connecting). The Noise IK pattern encrypts the first
 * message to that key, so only its holder can complete the handshake: an
 * endpoint with any other key fails it with `HANDSHAKE_FAILED`, and the
 * traffic is end-to-end encrypted even over `ws://`. Our own key pair
 * (`keyPair`, or a fresh one) never leaves this side.
 *
 * The handshake runs here (with @lume/crypto's ed25519, so it works in
 * browsers), and the secret stream takes over once it is complete: the
 * bytes on the wire are exactly those of a secret stream's own IK handshake.
 */
export function connectWebSocket (socket: WebSocketLike, remotePublicKey: Uint8Array, options: {
  /** This side's static key for the Noise handshake. @default a new random key pair */
  keyPair?: KeyPair
} = {}): NoiseStream {
  if (!(remotePublicKey instanceof Uint8Array) || remotePublicKey.byteLength !== 32) throw LumeError.invalidArgument('remotePublicKey must be 32 bytes')
  const keyPair = options.keyPair ?? generateKeyPair()
  const noise = new NoiseSecretStream(true, null, { autoStart: false })
  const handshake = new Noise('IK', true, keyPair, { curve: ed25519NoiseCurve })
  const failed = (why: string): void => {
    noise.destroy(new LumeError(ErrorCode.HANDSHAKE_FAILED, `the endpoint did not prove key ${toHex(remotePublicKey).slice(0, 16)}…: ${why}`))
    // Browsers let a client close only with 1000 or 3000-4999: 4001 is ours for "handshake failed".
    socket.close(4001, 'handshake failed')
  }
  let state: 'connecting' | 'handshaking' | 'done' = 'connecting'
  let received: Uint8Array = new Uint8Array(0)

  socket.binaryType = 'arraybuffer'
  socket.addEventListener('open', () => {
    if (state !== 'connecting') return
    state = 'handshaking'
    handshake.initialise(PROLOGUE, remotePublicKey)
    socket.send(frame(handshake.send()))
  })
  socket.addEventListener('message', (event: MessageLike) => {
    if (state !== 'handshaking') return
    const data = event.data
    if (!(data instanceof ArrayBuffer)) { failed('not a binary message'); return }
    received = concat(received, new Uint8Array(data))
    if (received.byteLength < FRAME_HEADER) return
    const length = received[0]! | (received[1]! << 8) | (received[2]! << 16)
    if (length > MAX_HANDSHAKE_FRAME) { failed('oversized handshake message'); return }
    if (received.byteLength < FRAME_HEADER + length) return
    try {
      handshake.recv(received.subarray(FRAME_HEADER, FRAME_HEADER + length))
    } catch {
      failed('Noise IK handshake failed')
      return
    }
    if (!handshake.complete || handshake.tx === null || handshake.rx === null || handshake.hash === null || handshake.rs === null) { failed('incomplete handshake'); return }
    state = 'done'
    // From here on the secret stream reads the socket; what came with the reply is its first bytes.
    const rest = received.subarray(FRAME_HEADER + length)
    noise.start(new WebSocketStream(socket), {
      handshake: { tx: handshake.tx, rx: handshake.rx, hash: handshake.hash, publicKey: keyPair.publicKey, remotePublicKey: handshake.rs },
      ...(rest.byteLength === 0 ? {} : { data: rest })
    })
  })
  socket.addEventListener('close', () => {
    if (state === 'handshaking') failed('the endpoint closed the connection during the handshake')
    else if (state === 'connecting') noise.destroy(new LumeError(ErrorCode.CONNECTION_FAILED, 'WebSocket closed before it opened'))
  })
  socket.addEventListener('error', () => {
    if (state === 'connecting') noise.destroy(new LumeError(ErrorCode.CONNECTION_FAILED, 'WebSocket failed to open'))
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

function frame (message: Uint8Array): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER + message.byteLength)
  out[0] = message.byteLength & 0xff
  out[1] = (message.byteLength >>> 8) & 0xff
  out[2] = (message.byteLength >>> 16) & 0xff
  out.set(message, FRAME_HEADER)
  return out
}

function concat (a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.byteLength === 0) return b
  const out = new Uint8Array(a.byteLength + b.byteLength)
  out.set(a, 0)
  out.set(b, a.byteLength)
  return out
}
