import type { EventEmitter } from 'node:events'
import type { Duplex } from 'node:stream'

// hyperdht ships no types: these describe the parts of it Lume uses. They are
// our own, so every published .d.ts that mentions a DHT node is self-contained.

/** An ed25519 key pair as hyperdht takes and returns it. */
export interface KeyPair { publicKey: Buffer, secretKey: Buffer }

/** A UDP address of a DHT node (`host:port`). */
export interface Address { host: string, port: number }

/** An encrypted, authenticated connection to a peer (a Noise secret stream). */
export interface NoiseSecretStream extends Duplex {
  readonly remotePublicKey: Buffer
  readonly publicKey: Buffer
  readonly isInitiator: boolean
  readonly rawStream: { remoteHost: string, remotePort: number }
  setKeepAlive (ms: number): void
  opened: Promise<boolean>
  userData: unknown
}

/** Options for {@link DhtNode.createServer}. */
export interface ServerOptions {
  /** Return true to reject a connecting peer before the handshake completes. */
  firewall?: (remotePublicKey: Buffer, remotePayload: unknown) => boolean
}

/** A server listening on a key pair; emits `connection` with each {@link NoiseSecretStream}. */
export interface Server extends EventEmitter {
  listen (keyPair?: KeyPair): Promise<void>
  close (): Promise<void>
  address (): (Address & { publicKey: Buffer }) | null
  readonly publicKey: Buffer
  readonly isInitiator: boolean
  on (event: 'connection', listener: (socket: NoiseSecretStream) => void): this
  on (event: 'close' | 'listening', listener: () => void): this
}

/** Options for `createDhtNode()` (hyperdht's constructor options). */
export interface DHTOptions {
  /** Bootstrap nodes; omitted means HyperDHT's public ones. */
  bootstrap?: Array<Address | string>
  /** The address to bind the UDP socket to (all interfaces when unset). */
  host?: string
  /** The UDP port to bind (a free one when unset or taken, see `anyPort`). */
  port?: number
  /** Stay out of other nodes' routing tables (a client); false makes this node part of the DHT at once. Unset: decided once the node knows whether it is reachable. */
  ephemeral?: boolean
  /** Treat this node as behind a firewall (others cannot dial it directly). Unset: detected. */
  firewalled?: boolean
  /** The node's default key pair for servers and connections (a new random one when unset). */
  keyPair?: KeyPair
  /** Fall back to any free port when `port` is taken. */
  anyPort?: boolean
}

/** Options for {@link DhtNode.connect}. */
export interface ConnectOptions {
  /** The key pair this side authenticates with (the node's own when unset). */
  keyPair?: KeyPair
  /** Whether to try a direct connection on the local network first. */
  localConnection?: boolean
  /** Whether to try holepunching's fast open (first bytes with the handshake). */
  fastOpen?: boolean
}

/** The results of a lookup or announce, as they arrive. */
export interface QueryStream extends AsyncIterable<{ peers: Array<{ publicKey: Buffer, relayAddresses: Address[] }>, from: Address }> {
  finished (): Promise<void>
  destroy (): void
}

/** A UDX socket of the DHT node (udx-native). */
export interface UDXSocket {
  getRecvBufferSize (): number
  setRecvBufferSize (size: number): number
  getSendBufferSize (): number
  setSendBufferSize (size: number): number
}

/** A HyperDHT node: connects to keys, serves keys, stores signed values. */
export interface DhtNode extends EventEmitter {
  /** dht-rpc's I/O: the node's UDP sockets (set once the node is ready). */
  readonly io: { serverSocket: UDXSocket | null, clientSocket: UDXSocket | null }
  readonly defaultKeyPair: KeyPair
  readonly destroyed: boolean
  readonly listening: Set<Server>
  readonly bootstrapNodes: Address[]
  /** True once the node has joined the DHT. */
  readonly bootstrapped: boolean
  /** True while other nodes cannot reach this one directly (it needs holepunching). */
  readonly firewalled: boolean
  ready (): Promise<void>
  address (): Address
  createServer (options?: ServerOptions, onconnection?: (socket: NoiseSecretStream) => void): Server
  connect (remotePublicKey: Uint8Array, options?: ConnectOptions): NoiseSecretStream
  lookup (topic: Uint8Array): QueryStream
  announce (topic: Uint8Array, keyPair: KeyPair, relayAddresses?: Address[]): QueryStream
  unannounce (topic: Uint8Array, keyPair: KeyPair): Promise<void>
  /** Store `value` under `keyPair.publicKey`, signed, with sequence `seq` (higher replaces lower). */
  mutablePut (keyPair: KeyPair, value: Uint8Array, options?: { seq?: number }): Promise<{ publicKey: Buffer, seq: number }>
  /** The newest value stored under `publicKey`, verified by hyperdht, or null. */
  mutableGet (publicKey: Uint8Array, options?: { seq?: number, latest?: boolean }): Promise<{ value: Buffer, seq: number } | null>
  destroy (options?: { force?: boolean }): Promise<void>
}

/** hyperdht's class: `new HyperDHT(options)` and its static helpers. */
export interface DhtNodeConstructor {
  new (options?: DHTOptions): DhtNode
  /** A key pair, random or derived from a 32-byte seed. */
  keyPair (seed?: Uint8Array): KeyPair
  /** A non-ephemeral node that others bootstrap from. */
  bootstrapper (port: number, host: string, options?: DHTOptions): DhtNode
}
