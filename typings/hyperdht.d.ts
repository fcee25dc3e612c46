// Typed declarations for the parts of hyperdht Lume uses (the package ships none).
declare module 'hyperdht' {
  import type { EventEmitter } from 'node:events'
  import type { Duplex } from 'node:stream'

  export interface KeyPair { publicKey: Buffer, secretKey: Buffer }
  export interface Address { host: string, port: number }

  export interface NoiseSecretStream extends Duplex {
    readonly remotePublicKey: Buffer
    readonly publicKey: Buffer
    readonly isInitiator: boolean
    readonly rawStream: { remoteHost: string, remotePort: number }
    setKeepAlive (ms: number): void
    opened: Promise<boolean>
    userData: unknown
  }

  export interface ServerOptions {
    firewall?: (remotePublicKey: Buffer, remotePayload: unknown) => boolean
  }

  export interface Server extends EventEmitter {
    listen (keyPair?: KeyPair): Promise<void>
    close (): Promise<void>
    address (): (Address & { publicKey: Buffer }) | null
    readonly publicKey: Buffer
    readonly isInitiator: boolean
    on (event: 'connection', listener: (socket: NoiseSecretStream) => void): this
    on (event: 'close' | 'listening', listener: () => void): this
  }

  export interface DHTOptions {
    bootstrap?: Array<Address | string>
    host?: string
    port?: number
    ephemeral?: boolean
    firewalled?: boolean
    keyPair?: KeyPair
    anyPort?: boolean
  }

  export interface ConnectOptions {
    keyPair?: KeyPair
    localConnection?: boolean
    fastOpen?: boolean
  }

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

  export default class HyperDHT extends EventEmitter {
    /** dht-rpc's I/O: the node's UDP sockets (set once the node is ready). */
    readonly io: { serverSocket: UDXSocket | null, clientSocket: UDXSocket | null }
    constructor (options?: DHTOptions)
    static keyPair (seed?: Uint8Array): KeyPair
    static bootstrapper (port: number, host: string, options?: DHTOptions): HyperDHT
    readonly defaultKeyPair: KeyPair
    readonly destroyed: boolean
    readonly listening: Set<Server>
    readonly bootstrapNodes: Address[]
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
}
