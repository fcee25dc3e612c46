import type { HyperDHT } from '@lume/dht'
import type { KeyPair, NoiseSecretStream, Server } from '@lume/dht'
import { LumeError, ErrorCode, openWithin } from '@lume/types'

/** What a testnet peer does with each incoming connection. */
export type ConnectionHandler = (socket: NoiseSecretStream) => void

/** Echo every byte back: the default handler, enough to prove a connection works. */
export const echo: ConnectionHandler = (socket) => {
  socket.on('error', () => {})
  socket.pipe(socket)
}

/** A peer of the testnet: a DHT node listening on its own key pair. */
export class TestPeer {
  /** The peer's DHT node (use it to connect to others). */
  readonly dht: HyperDHT
  /** The key pair the peer listens on. */
  readonly keyPair: KeyPair
  /** The server accepting connections to {@link publicKey}. */
  readonly server: Server
  private readonly sockets = new Set<NoiseSecretStream>()
  private closing: Promise<void> | null = null

  /** @internal Use `Testnet.addPeer`. */
  constructor (dht: HyperDHT, keyPair: KeyPair, server: Server) {
    this.dht = dht
    this.keyPair = keyPair
    this.server = server
  }

  /** The key others connect to. */
  get publicKey (): Uint8Array {
    return this.keyPair.publicKey
  }

  /**
   * Open an encrypted connection to `remotePublicKey` and wait until it is
   * open. Fails with `CONNECTION_FAILED` or, after `timeoutMs`, `TIMEOUT` —
   * never hangs.
   */
  async connect (remotePublicKey: Uint8Array, timeoutMs = 10_000): Promise<NoiseSecretStream> {
    const socket = this.dht.connect(remotePublicKey, { keyPair: this.keyPair })
    this.track(socket)
    await openWithin(socket, timeoutMs)
    // Open: later errors end in 'close', which the caller sees.
    socket.on('error', () => {})
    return socket
  }

  /** Connect, send `payload`, and resolve with the round-trip time in ms (the peer must echo). */
  async ping (remotePublicKey: Uint8Array, timeoutMs = 10_000): Promise<number> {
    const started = performance.now()
    const socket = await this.connect(remotePublicKey, timeoutMs)
    try {
      const payload = Buffer.from('ping')
      const echoed = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(LumeError.timeout('echo', timeoutMs)), timeoutMs)
        socket.once('data', () => { clearTimeout(timer); resolve() })
        socket.once('close', () => { clearTimeout(timer); reject(new LumeError(ErrorCode.CONNECTION_FAILED, 'closed before echo')) })
      })
      socket.write(payload)
      await echoed
      return performance.now() - started
    } finally {
      socket.destroy()
    }
  }

  /** @internal Remember a socket so close() can end it. */
  track (socket: NoiseSecretStream): void {
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
  }

  /** Close all connections, the server and the DHT node. Idempotent: every call returns the same promise. */
  close (): Promise<void> {
    this.closing ??= (async () => {
      for (const socket of this.sockets) socket.destroy()
      await this.server.close()
      await this.dht.destroy()
    })()
    return this.closing
  }
}
