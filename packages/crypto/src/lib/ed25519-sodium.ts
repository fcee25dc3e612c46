import sodium from 'sodium-native'
import { ED25519, type Ed25519Backend } from './ed25519.js'

// The Node backend: libsodium is ~2x node:crypto and ~18x noble here
// (see docs/benchmarks.md).
export const backend: Ed25519Backend = {
  name: 'sodium-native',
  keyPairFromSeed (seed) {
    const publicKey = Buffer.alloc(ED25519.PUBLIC_KEY_BYTES)
    const secretKey = Buffer.alloc(ED25519.SECRET_KEY_BYTES)
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed)
    return { publicKey, secretKey }
  },
  sign (message, secretKey) {
    const signature = Buffer.allocUnsafe(ED25519.SIGNATURE_BYTES)
    sodium.crypto_sign_detached(signature, message, secretKey)
    return signature
  },
  verify (signature, message, publicKey) {
    if (signature.byteLength !== ED25519.SIGNATURE_BYTES || publicKey.byteLength !== ED25519.PUBLIC_KEY_BYTES) return false
    return sodium.crypto_sign_verify_detached(signature, message, publicKey)
  },
  async verifyAsync (signature, message, publicKey) {
    // libsodium is fast enough that nothing is gained off the calling thread.
    return backend.verify(signature, message, publicKey)
  },
  randomBytes (n) {
    const out = Buffer.allocUnsafe(n)
    sodium.randombytes_buf(out)
    return out
  },
  sha256 (data) {
    const out = Buffer.allocUnsafe(32)
    sodium.crypto_hash_sha256(out, data)
    return out
  },
  dh (publicKey, secretKey) {
    const hashed = Buffer.alloc(64)
    sodium.crypto_hash_sha512(hashed, secretKey.subarray(0, ED25519.SEED_BYTES))
    const scalar = clamp(hashed.subarray(0, 32))
    const out = Buffer.alloc(32)
    // Throws for small-order or non-canonical points and an identity result.
    sodium.crypto_scalarmult_ed25519_noclamp(out, scalar, publicKey)
    return out
  }
}

function clamp (scalar: Uint8Array): Uint8Array {
  scalar[0]! &= 248
  scalar[31]! &= 127
  scalar[31]! |= 64
  return scalar
}
