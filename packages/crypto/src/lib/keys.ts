import { backend } from '#ed25519'
import { ED25519 } from './ed25519.js'
import { assertLength, LumeError } from '@lume/types'

/**
 * An ed25519 key pair in libsodium's layout, the same one HyperDHT uses:
 * `secretKey` is seed ‖ public key (64 bytes).
 */
export interface KeyPair {
  /** 32 bytes. */
  publicKey: Uint8Array
  /** 64 bytes: the 32-byte seed followed by the public key. */
  secretKey: Uint8Array
}

/** The ed25519 backend in use here: `sodium-native` in Node, `@noble/curves` elsewhere. */
export const ed25519BackendName: string = backend.name

/** A fresh random key pair. */
export function generateKeyPair (): KeyPair {
  return keyPairFromSeed(backend.randomBytes(ED25519.SEED_BYTES))
}

/** The key pair for a 32-byte seed (deterministic). */
export function keyPairFromSeed (seed: Uint8Array): KeyPair {
  assertLength('seed', seed, ED25519.SEED_BYTES)
  return backend.keyPairFromSeed(seed)
}

/** `n` cryptographically secure random bytes. */
export function randomBytes (n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randomBytes: n must be a non-negative integer, got ${n}`)
  return backend.randomBytes(n)
}

/** SHA-256 of `data`: libsodium in Node, @noble/hashes in browsers (identical results). */
export function sha256 (data: Uint8Array): Uint8Array {
  return backend.sha256(data)
}

/**
 * Noise's Diffie-Hellman over ed25519 keys (as HyperDHT's secret streams do
 * it): our 64-byte secret key with their public key gives 32 shared bytes,
 * the same from both sides. Throws `INVALID_ARGUMENT` for a public key that
 * is not a usable curve point.
 */
export function noiseDh (publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertLength('publicKey', publicKey, ED25519.PUBLIC_KEY_BYTES)
  assertLength('secretKey', secretKey, ED25519.SECRET_KEY_BYTES)
  try {
    return backend.dh(publicKey, secretKey)
  } catch (err) {
    throw LumeError.invalidArgument('publicKey is not a point of the main subgroup', { cause: String(err) })
  }
}
