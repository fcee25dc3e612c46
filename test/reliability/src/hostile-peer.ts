import { setTimeout as sleep } from 'node:timers/promises'
import c from 'compact-encoding'
import type HyperDHT from 'hyperdht'
import type { NoiseSecretStream, Server as DHTServer } from 'hyperdht'
import Protomux from 'protomux'
import ProtomuxRPC from 'protomux-rpc'
import { packetCodec, packetMessage } from '@lume/dht-flood'
import { MethodRegistry, RpcConnection } from '@lume/rpc'
import { CoreMethods } from '@lume/rpc/core'
import { RPC_VERSION } from '@lume/rpc/internal'
import { registryFloodPayload } from './flood-payloads.js'
import { encode, Protocol, SigningContext, toHex, type ChannelLike } from '@lume/types'
import { generateKeyPair, sign, type KeyPair } from '@lume/crypto'

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
      // Dial-backs get what a relay answers: its key in core.info (the handshake proves it holds the key).
      const methods = new MethodRegistry()
      methods.register({ ...CoreMethods.info, handler: () => ({ version: '0.0.0', publicKey: toHex(keyPair.publicKey), plugins: ['flood'], methods: ['core.info'] }) })
      server = dht.createServer({}, (socket) => { RpcConnection.open(socket, { methods }) })
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
    // A relay opens its flood channel as the connection opens (a remote open that waits unpaired for long is dropped).
    if (options.asRelay === true) await peer.openFlood()
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
    if (this.flood !== null) return this.floodOpen
    const mux = Protomux.from(this.socket)
    let settle: (open: boolean) => void = () => {}
    const opened = new Promise<boolean>((resolve) => { settle = resolve })
    const channel = mux.createChannel({
      protocol: Protocol.FLOOD,
      unique: true,
      messages: [
        { encoding: c.raw, onmessage: (bytes: Uint8Array) => this.floodReceived.packets.push(bytes) },
        { encoding: c.raw, onmessage: (bytes: Uint8Array) => this.floodReceived.direct.push(bytes) },
        // `ready` (the relay listens to us now) and `have` (docs/protocol.md, "Flood").
        { encoding: c.raw, onmessage: () => {} },
        { encoding: c.raw, onmessage: () => {} }
      ],
      onopen: () => {
        // We say `ready` at once: a relay takes us as a neighbour once it verified us and heard it.
        (this.flood?.messages[2] as { send (m: Uint8Array): boolean } | undefined)?.send(new Uint8Array(0))
        settle(true)
      },
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

  /**
   * Whether the relay took us as a flood neighbour: asks it (direct "want")
   * for `knownKey`, a key it holds, until it answers (true), closes the
   * channel or `timeoutMs` passes (false). A relay decides after its dial-back.
   */
  async admitted (knownKey: Uint8Array, timeoutMs = 10_000): Promise<boolean> {
    const until = Date.now() + timeoutMs
    while (Date.now() < until && this.floodOpen) {
      this.sendDirect(registryFloodPayload(1, knownKey))
      await sleep(250)
      if (this.floodReceived.direct.length > 0) return true
    }
    return false
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

  /**
   * A round trip on the RPC channel: everything sent before it has been read
   * by the relay. Behind a flood of requests on a loaded machine that can take
   * a while; whether honest clients are served meanwhile is measured apart.
   */
  async barrier (timeoutMs = 120_000): Promise<void> {
    await this.request('$rpc.ping', new Uint8Array(0), timeoutMs)
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
