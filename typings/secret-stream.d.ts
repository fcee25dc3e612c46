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
    setKeepAlive (ms: number): void
    setTimeout (ms: number): void
  }
}
