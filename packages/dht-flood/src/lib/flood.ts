import { TokenBucket, decode, encode, LumeError, SigningContext, silentLogger, toHex, TypedEventTarget, type Logger } from '@lume/types'
import { sign, verify } from '@lume/crypto'
import type { FloodEvents, FloodInit, FloodSigner, FloodStats, PeerTransport } from './options.js'
import { Collector } from './collector.js'
import { haveCodec, packetCodec, packetMessage, type Packet, type PacketId } from './messages.js'
import { SeenSet } from './seen.js'
import { ClockSequence, sequenceTime } from './sequence.js'

interface Peer {
  key: Uint8Array
  transport: PeerTransport
  bucket: TokenBucket
  /** The last send returned false: skip it until it drains. */
  backedUp: boolean
}

/**
 * Signed multi-hop flooding over any set of connections. Each packet is
 * delivered to the application once and forwarded to every neighbour except
 * the one it came from, until its TTL runs out. Packets are signed by their
 * origin; forged, duplicate, stale and over-rate packets are dropped and
 * counted in {@link stats}.
 */
export class Flood extends TypedEventTarget<FloodEvents> {
  readonly stats: FloodStats = { delivered: 0, forwarded: 0, sent: 0, duplicate: 0, badSignature: 0, malformed: 0, stale: 0, rateLimited: 0, tooLarge: 0, notNeighbour: 0, backedUp: 0 }
  private readonly keyPair: FloodSigner
  private readonly peers = new Map<string, Peer>()
  private readonly seen: SeenSet
  private readonly sequence = new ClockSequence()
  private readonly collector: Collector
  private readonly options: Required<Omit<FloodInit, 'keyPair' | 'logger'>>
  private readonly logger: Logger
  private closed = false
  private closing: Promise<void> | null = null

  constructor (init: FloodInit) {
    super()
    const key = init.keyPair
    this.keyPair = 'sign' in key ? key : { publicKey: key.publicKey, sign: (context, message) => sign(context, message, key.secretKey) }
    this.logger = init.logger ?? silentLogger
    this.options = {
      ttl: init.ttl ?? 10,
      maxTtl: init.maxTtl ?? 12,
      maxFanout: init.maxFanout ?? 16,
      maxPayloadBytes: init.maxPayloadBytes ?? 64 * 1024,
      maxAgeMs: init.maxAgeMs ?? 5 * 60_000,
      maxSkewMs: init.maxSkewMs ?? 60_000,
      rate: init.rate ?? { perSecond: 500, burst: 1000 },
      seenCapacity: init.seenCapacity ?? 100_000,
      collectMs: init.collectMs ?? 0,
      maxPending: init.maxPending ?? 10_000,
      maxPendingBytes: init.maxPendingBytes ?? 16 * 1024 * 1024
    }
    this.collector = new Collector(this.options.collectMs, this.options.maxPending, this.options.maxPendingBytes)
    const { ttl, maxTtl } = this.options
    if (!Number.isInteger(maxTtl) || maxTtl < 1 || maxTtl > 255) throw new RangeError(`maxTtl must be 1..255, got ${maxTtl}`)
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > maxTtl) throw new RangeError(`ttl must be 1..maxTtl (${maxTtl}), got ${ttl}`)
    this.seen = new SeenSet(this.options.seenCapacity, this.options.maxSkewMs)
    this.onListenerError = (err, type) => this.logger.error({ err, event: type }, 'flood listener failed')
  }

  get [Symbol.toStringTag] (): string {
    return 'Flood'
  }

  /** This node's public key (the origin of its broadcasts). */
  get publicKey (): Uint8Array {
    return this.keyPair.publicKey
  }

  /** Forwards held back now (see `collectMs`). */
  get pending (): number {
    return this.collector.size
  }

  /** Keys of the neighbours connected now. */
  get neighbours (): Uint8Array[] {
    return [...this.peers.values()].map((p) => p.key)
  }

  /**
   * Resolves once at least `count` relays are flood neighbours. A link
   * becomes one only after both relays checked that the other is a relay, a
   * moment after the connection opens: what is broadcast before that does not
   * cross it. Rejects with the signal's reason when `signal` aborts.
   */
  async whenNeighbours (count = 1, options: {
    /** Stops waiting (rejects with ABORTED). */
    signal?: AbortSignal
  } = {}): Promise<void> {
    while (this.peers.size < count) {
      if (this.closed) throw LumeError.closed('flood')
      await this.once('peer:connect', options.signal)
    }
  }

  /** Send `payload` to every node within `ttl` hops. Returns the packet's sequence number. */
  broadcast (payload: Uint8Array, options: {
    /** Hops the packet may travel, 1..`maxTtl` (a RangeError otherwise). @default the flood's `ttl` */
    ttl?: number
  } = {}): number {
    if (this.closed) throw LumeError.closed('flood')
    if (payload.byteLength > this.options.maxPayloadBytes) throw LumeError.tooLarge('flood payload', payload.byteLength, this.options.maxPayloadBytes)
    const ttl = options.ttl ?? this.options.ttl
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > this.options.maxTtl) throw new RangeError(`ttl must be 1..maxTtl (${this.options.maxTtl}), got ${ttl}`)
    const seq = this.sequence.next()
    const origin = this.keyPair.publicKey
    const signature = this.keyPair.sign(SigningContext.FLOOD_PACKET, packetMessage(origin, seq, payload))
    this.seen.add(seenKey(origin, seq), seq)
    this.forward({ origin, seq, ttl, payload, signature }, null, null)
    return seq
  }

  /** Send a direct message to one neighbour; false if it is not connected or its link is backed up (then nothing is sent). */
  send (peer: Uint8Array, payload: Uint8Array): boolean {
    if (payload.byteLength > this.options.maxPayloadBytes) throw LumeError.tooLarge('direct message', payload.byteLength, this.options.maxPayloadBytes)
    const target = this.peers.get(toHex(peer))
    if (target === undefined) return false
    if (target.backedUp) { this.stats.backedUp++; return false }
    if (target.transport.direct(payload) === false) target.backedUp = true
    return true
  }

  /** The link to `peer` drained: send to it again. */
  resume (peer: Uint8Array): void {
    const target = this.peers.get(toHex(peer))
    if (target !== undefined) target.backedUp = false
  }

  /** Start flooding to a neighbour. Returns the function that removes it. */
  addPeer (key: Uint8Array, transport: PeerTransport): () => void {
    const id = toHex(key)
    const peer: Peer = { key, transport, bucket: new TokenBucket(this.options.rate.perSecond, this.options.rate.burst), backedUp: false }
    this.peers.set(id, peer)
    this.emit('peer:connect', { remotePublicKey: key })
    return () => {
      if (this.peers.get(id) !== peer) return
      this.peers.delete(id)
      this.emit('peer:disconnect', { remotePublicKey: key })
    }
  }

  /** Handle packet bytes from neighbour `from`. Never throws: bad packets, and any from a peer that is not a neighbour, are dropped and counted. */
  receivePacket (from: Uint8Array, bytes: Uint8Array): void {
    if (this.closed) return
    if (!this.admit(from)) return
    let packet: Packet
    try {
      packet = decode(packetCodec, bytes)
    } catch {
      this.stats.malformed++
      return
    }
    if (packet.payload.byteLength > this.options.maxPayloadBytes) { this.stats.tooLarge++; return }
    const key = seenKey(packet.origin, packet.seq)
    const fromId = toHex(from)
    // Seen before verifying: duplicates cost no signature check.
    if (this.seen.has(key)) {
      this.stats.duplicate++
      this.collector.has(key, fromId, true)
      return
    }
    const age = Date.now() - sequenceTime(packet.seq)
    if (age > this.options.maxAgeMs || age < -this.options.maxSkewMs) { this.stats.stale++; return }
    // Older than what the seen-set still covers: it may have been seen and evicted.
    if (packet.seq <= this.seen.floor) { this.stats.stale++; return }
    // Marked seen only after it verified: a forgery must not block the real packet.
    if (!verify(SigningContext.FLOOD_PACKET, packetMessage(packet.origin, packet.seq, packet.payload), packet.signature, packet.origin)) {
      this.stats.badSignature++
      return
    }
    this.seen.add(key, packet.seq)
    this.stats.delivered++
    // The TTL is not signed: anyone could raise it, so every relay caps it.
    const ttl = Math.min(packet.ttl, this.options.maxTtl)
    this.emit('message', { origin: packet.origin, seq: packet.seq, payload: packet.payload, from, ttl })
    if (ttl <= 1) return
    const next = { ...packet, ttl: ttl - 1 }
    if (this.collector.hold(key, fromId, bytes.byteLength, (except) => { if (!this.closed) this.forward(next, fromId, except) })) this.announce(packet, fromId)
    else this.forward(next, fromId, null)
  }

  /** Handle a `have` from neighbour `from`: it has that packet, so a held forward skips it. */
  receiveHave (from: Uint8Array, bytes: Uint8Array): void {
    if (this.closed || !this.admit(from) || !this.collector.enabled) return
    let id: PacketId
    try {
      id = decode(haveCodec, bytes)
    } catch {
      this.stats.malformed++
      return
    }
    const key = seenKey(id.origin, id.seq)
    this.collector.has(key, toHex(from), this.seen.has(key))
  }

  /** Handle a direct message from neighbour `from`. */
  receiveDirect (from: Uint8Array, payload: Uint8Array): void {
    if (this.closed) return
    if (!this.admit(from)) return
    if (payload.byteLength > this.options.maxPayloadBytes) { this.stats.tooLarge++; return }
    this.emit('direct', { from, payload })
  }

  /** Stop sending and receiving. */
  /** Stop: nothing more is sent or delivered. Idempotent; every call returns the same promise. */
  close (): Promise<void> {
    if (this.closing === null) {
      this.closed = true
      this.collector.close()
      this.peers.clear()
      this.closing = Promise.resolve()
    }
    return this.closing
  }

  /** Only neighbours are heard, each within its rate and the transport's own limit. */
  private admit (from: Uint8Array): boolean {
    const peer = this.peers.get(toHex(from))
    if (peer === undefined) { this.stats.notNeighbour++; return false }
    if (!peer.bucket.take() || peer.transport.admit?.() === false) { this.stats.rateLimited++; return false }
    return true
  }

  /** Tell every neighbour but `except` that this node has the packet. */
  private announce (packet: Packet, except: string): void {
    const bytes = encode(haveCodec, packet)
    for (const [id, peer] of this.peers) {
      if (id !== except && !peer.backedUp && peer.transport.have?.(bytes) === false) peer.backedUp = true
    }
  }

  private forward (packet: Packet, from: string | null, skip: Set<string> | null): void {
    const bytes = encode(packetCodec, packet)
    let targets = [...this.peers.entries()].filter(([id]) => id !== from && skip?.has(id) !== true).map(([, p]) => p)
    if (targets.length > this.options.maxFanout) targets = sample(targets, this.options.maxFanout)
    for (const target of targets) {
      // A backed-up link is skipped, never queued for: its backlog stays bounded by the stream's buffer.
      if (target.backedUp) { this.stats.backedUp++; continue }
      try {
        if (target.transport.packet(bytes) === false) target.backedUp = true
        this.stats.sent++
      } catch (err) {
        this.logger.warn({ err, peer: toHex(target.key).slice(0, 12) }, 'flood send failed')
      }
    }
    if (from !== null) this.stats.forwarded++
  }
}

function seenKey (origin: Uint8Array, seq: number): string {
  return `${toHex(origin)}:${seq}`
}

function sample<T> (items: T[], n: number): T[] {
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const t = copy[i] as T
    copy[i] = copy[j] as T
    copy[j] = t
  }
  return copy.slice(0, n)
}
