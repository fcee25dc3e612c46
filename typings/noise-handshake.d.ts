// Typed declarations for the parts of noise-handshake Lume uses (the package ships none).
declare module 'noise-handshake' {
  interface NoiseKeyPair { publicKey: Uint8Array, secretKey: Uint8Array }
  /** A Diffie-Hellman function set, as noise-handshake takes it. */
  interface NoiseCurve {
    ALG: string
    name: string
    PKLEN: number
    SKLEN: number
    DHLEN: number
    SCALARLEN: number
    generateKeyPair (privateKey?: Uint8Array): NoiseKeyPair
    dh (publicKey: Uint8Array, local: { secretKey: Uint8Array }): Uint8Array
  }
  /** One side of a Noise handshake. */
  export default class Noise {
    constructor (pattern: 'IK' | 'XX' | 'NN' | 'XK', initiator: boolean, staticKeyPair: NoiseKeyPair | null, options?: { curve?: NoiseCurve })
    initialise (prologue: Uint8Array, remoteStatic?: Uint8Array): void
    send (payload?: Uint8Array): Uint8Array
    recv (message: Uint8Array): Uint8Array
    readonly complete: boolean
    readonly rs: Uint8Array | null
    readonly tx: Uint8Array | null
    readonly rx: Uint8Array | null
    readonly hash: Uint8Array | null
  }
}
