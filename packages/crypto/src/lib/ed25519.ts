/**
 * An ed25519 implementation. Node uses libsodium (sodium-native), browsers
 * use @noble/curves; both produce identical keys and signatures (ed25519
 * signing is deterministic), which the tests check by cross-verifying.
 */
export interface Ed25519Backend {
  /** Short name for logs and benchmarks. */
  readonly name: string
  /** The 64-byte secret key (seed ‖ public key) and public key for a 32-byte seed. */
  keyPairFromSeed (seed: Uint8Array): { publicKey: Uint8Array, secretKey: Uint8Array }
  /** Sign `message` with a 64-byte secret key. */
  sign (message: Uint8Array, secretKey: Uint8Array): Uint8Array
  /** Check a 64-byte signature; false (never a throw) for any malformed input. */
  verify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
  /**
   * {@link Ed25519Backend.verify}, the same rule, for callers that can wait:
   * browsers check through WebCrypto's native Ed25519 when it has one.
   */
  verifyAsync (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean>
  /** `n` cryptographically secure random bytes. */
  randomBytes (n: number): Uint8Array
  /** SHA-256 of `data` (libsodium's in Node: the small-input hot path of signed answers). */
  sha256 (data: Uint8Array): Uint8Array
  /**
   * The Diffie-Hellman that Noise over ed25519 keys uses (HyperDHT's
   * secret streams): `clamp(SHA-512(seed)[0..32]) · publicKey` on the ed25519
   * curve, 32 bytes. Throws for a public key that is not a canonical point of
   * the main subgroup, or a result that is the identity.
   */
  dh (publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array
}

/** Byte lengths of ed25519 material. */
export const ED25519 = {
  PUBLIC_KEY_BYTES: 32,
  SECRET_KEY_BYTES: 64,
  SEED_BYTES: 32,
  SIGNATURE_BYTES: 64
} as const
