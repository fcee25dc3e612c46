// Typed declarations for the parts of @hyperswarm/secret-stream Lume uses (the package ships none).
declare module '@hyperswarm/secret-stream' {
  interface SecretStreamOptions {
    /** Our static key pair (ed25519, as HyperDHT uses). */
    keyPair?: { publicKey: Uint8Array, secretKey: Uint8Array }
    /** The responder's static key; required by the IK pattern on the initiator side. */
    remotePublicKey?: Uint8Array
    /** Noise pattern: 'XX' (default) or 'IK'. */
    pattern?: 'XX' | 'IK'
    keepAlive?: number
    /** Don't start until `start()` (e.g. after a handshake made elsewhere). */
    autoStart?: boolean
  }

  /** A Noise handshake completed elsewhere, handed to the secret stream. */
  interface CompletedHandshake {
    tx: Uint8Array
    rx: Uint8Array
    hash: Uint8Array
    publicKey: Uint8Array
    remotePublicKey: Uint8Array
  }

  /** A Noise-encrypted, length-framed duplex over any raw duplex stream. */
  export default class NoiseSecretStream {
    constructor (isInitiator: boolean, rawStream: unknown, options?: SecretStreamOptions)
    readonly isInitiator: boolean
    readonly rawStream: unknown
    on (event: string, listener: (...args: any[]) => void): this
    once (event: string, listener: (...args: any[]) => void): this
    destroy (err?: Error | null): void
    publicKey: Uint8Array | null
    remotePublicKey: Uint8Array | null
    readonly opened: Promise<boolean>
    /** Start on `rawStream` (after `autoStart: false`), with a completed handshake and bytes already read. */
    start (rawStream: unknown, options?: { handshake?: CompletedHandshake, data?: Uint8Array }): void
    setKeepAlive (ms: number): void
    setTimeout (ms: number): void
  }
}
