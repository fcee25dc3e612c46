import c from 'compact-encoding'
import type HyperDHT from 'hyperdht'
import type { NoiseSecretStream, Server as DHTServer } from 'hyperdht'
import Protomux from 'protomux'
import ProtomuxRPC from 'protomux-rpc'
import { packetCodec, packetMessage } from '@lume/dht-flood'
import { RPC_VERSION } from '@lume/rpc'
import { encode, generateKeyPair, Protocol, sign, SigningContext, type ChannelLike, type KeyPair } from '@lume/types'

/**
 * A peer that speaks the wire protocols by hand: raw protomux-rpc frames
 * (anything, in any number, unawaited) and its own flood channel. It is what
 * an attacker runs; nothing here goes through the client libraries' limits.
 */
export class HostilePeer {
  /** The raw RPC channel (the relay's `lume/rpc/v1`). */
  readonly rpc: ProtomuxRPC
  /** Flood packets (0) and direct messages (1) the relay sent us on our flood channel. */
  readonly floodReceived: { packets: Uint8Array[], direct: Uint8Array[] } = { packets: [], direct: [] }
  private flood: ChannelLike | null = null
  private server: DHTServer | null = null

  private constructor (readonly socket: NoiseSecretStream, readonly keyPair: KeyPair) {
    this.rpc = new ProtomuxRPC(socket, { protocol: Protocol.RPC, valueEncoding: null })
    this.rpc.on('close', () => {})
    socket.on('error', () => {})
  }

  /**
   * Connect to the relay `relayKey` from `dht` (as `keyPair`, a fresh key by
   * default). With `asRelay`, the peer first listens on its key, so that a
   * relay dialing back finds a server holding it: anyone can run a relay, so
   * a hostile relay is the strongest attacker of relay-to-relay protocols.
   */
  static async connect (dht: HyperDHT, relayKey: Uint8Array, keyPair: KeyPair = generateKeyPair(), options: { asRelay?: boolean } = {}): Promise<HostilePeer> {
    const dhtKeyPair = { publicKey: Buffer.from(keyPair.publicKey), secretKey: Buffer.from(keyPair.secretKey) }
    let server: DHTServer | null = null
    if (options.asRelay === true) {
      // Dial-backs are answered (the handshake proves the key) and otherwise ignored.
      server = dht.createServer({}, (socket) => { socket.on('error', () => {}) })
      await server.listen(dhtKeyPair)
    }
    const socket = dht.connect(Buffer.from(relayKey), { keyPair: dhtKeyPair })
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('error', reject)
      socket.once('close', () => reject(new Error('closed before it opened')))
    })
    const peer = new HostilePeer(socket, keyPair)
    peer.server = server
    return peer
  }

  /** Send a raw request value; resolves with the raw response value. */
  async request (method: string, value: Uint8Array, timeoutMs = 10_000): Promise<Uint8Array> {
    return await this.rpc.request(method, value, { timeout: timeoutMs })
  }

  /** A request value in Lume's envelope: `version ‖ flags ‖ body`. */
  static envelope (body: Uint8Array, flags = 0): Uint8Array {
    const out = new Uint8Array(2 + body.byteLength)
    out[0] = RPC_VERSION
    out[1] = flags
    out.set(body, 2)
    return out
  }

  /**
   * Open our own flood channel on this connection (as a relay would),
   * recording what the relay sends on it. Resolves false when the relay has
   * not opened its side by an RPC round trip and `graceMs` later, or closed it
   * (it does not take us for a relay).
   */
  async openFlood (graceMs = 1_000): Promise<boolean> {
    const mux = Protomux.from(this.socket)
    let settle: (open: boolean) => void = () => {}
    const opened = new Promise<boolean>((resolve) => { settle = resolve })
    const channel = mux.createChannel({
      protocol: Protocol.FLOOD,
      unique: true,
      messages: [
        { encoding: c.raw, onmessage: (bytes: Uint8Array) => this.floodReceived.packets.push(bytes) },
        { encoding: c.raw, onmessage: (bytes: Uint8Array) => this.floodReceived.direct.push(bytes) }
      ],
      onopen: () => settle(true),
      onclose: () => { this.flood = null; settle(false) }
    }) as ChannelLike | null
    if (channel === null) return false
    this.flood = channel
    channel.open()
    let timer: ReturnType<typeof setTimeout> | undefined
    void this.barrier().then(() => { timer = setTimeout(() => settle(false), graceMs) }, () => settle(false))
    const open = await opened
    clearTimeout(timer)
    return open && this.flood !== null
  }

  /** True while our flood channel is open. */
  get floodOpen (): boolean {
    return this.flood !== null && !this.flood.closed
  }

  /** Send encoded flood packet bytes; false when the channel is closed or backed up. */
  sendPacket (bytes: Uint8Array): boolean {
    if (!this.floodOpen) return false
    return this.flood?.messages[0]?.send(bytes) ?? false
  }

  /** Send a flood direct message; false when the channel is closed or backed up. */
  sendDirect (payload: Uint8Array): boolean {
    if (!this.floodOpen) return false
    return this.flood?.messages[1]?.send(payload) ?? false
  }

  /** A round trip on the RPC channel: everything sent before it has been read by the relay. */
  async barrier (): Promise<void> {
    await this.request('$rpc.ping', new Uint8Array(0))
  }

  /** Wait until the socket has written out what is buffered. */
  async drained (): Promise<void> {
    const stream = this.socket as unknown as { writableNeedDrain?: boolean, once (e: string, f: () => void): void }
    if (stream.writableNeedDrain !== true) return
    await new Promise<void>((resolve) => stream.once('drain', resolve))
  }

  /** Close the connection (and stop listening, for a peer posing as a relay). */
  async destroy (): Promise<void> {
    this.rpc.destroy()
    this.socket.destroy()
    await this.server?.close()
  }
}

/** A flood packet signed by `origin` (any key: flood packets are self-signed). */
export function signedPacket (origin: KeyPair, seq: number, payload: Uint8Array, ttl: number): Uint8Array {
  const signature = sign(SigningContext.FLOOD_PACKET, packetMessage(origin.publicKey, seq, payload), origin.secretKey)
  return encode(packetCodec, { origin: origin.publicKey, seq, ttl, payload, signature })
}

/** A sequence number for now (flood sequences are microseconds since the epoch). */
export function nowSeq (offset = 0): number {
  return Date.now() * 1000 + offset
}
