import { ed25519 } from '@noble/curves/ed25519.js'
import { concatBytes, randomBytes } from '@noble/hashes/utils.js'
import { sha256, sha512 } from '@noble/hashes/sha2.js'
import { ED25519, type Ed25519Backend } from './ed25519.js'
import { webCryptoVerify } from './ed25519-webcrypto.js'

// The browser backend: pure JavaScript, no node: imports.

// A page makes a handful of base-point multiplications (its key pair, the
// Noise handshake, a few signature checks), so the table noble builds on the
// first one should be small: window 4 builds 8x fewer points than the
// default 8 and costs ~2x per later multiplication.
ed25519.Point.BASE.precompute(4)
export const backend: Ed25519Backend = {
  name: '@noble/curves',
  keyPairFromSeed (seed) {
    const publicKey = ed25519.getPublicKey(seed)
    const secretKey = new Uint8Array(ED25519.SECRET_KEY_BYTES)
    secretKey.set(seed, 0)
    secretKey.set(publicKey, ED25519.SEED_BYTES)
    return { publicKey, secretKey }
  },
  sign (message, secretKey) {
    return ed25519.sign(message, secretKey.subarray(0, ED25519.SEED_BYTES))
  },
  verify (signature, message, publicKey) {
    if (!followsRule(signature, publicKey)) return false
    try {
      return cofactorless(signature, message, publicKey)
    } catch {
      return false
    }
  },
  async verifyAsync (signature, message, publicKey) {
    if (!followsRule(signature, publicKey)) return false
    return await webCryptoVerify(signature, message, publicKey) ?? backend.verify(signature, message, publicKey)
  },
  randomBytes,
  sha256,
  dh (publicKey, secretKey) {
    const hashed = sha512(secretKey.subarray(0, ED25519.SEED_BYTES))
    hashed[0]! &= 248
    hashed[31]! &= 127
    hashed[31]! |= 64
    const scalar = littleEndian(hashed.subarray(0, 32))
    // libsodium's rules: a canonical point, not of small order (then in the main subgroup), no identity result.
    const point = ed25519.Point.fromBytes(publicKey, false)
    if (point.isSmallOrder() || !point.isTorsionFree()) throw new Error('dh: public key is not a point of the main subgroup')
    const shared = point.multiply(scalar % ed25519.Point.Fn.ORDER)
    if (shared.is0()) throw new Error('dh: the shared point is the identity')
    return shared.toBytes()
  }
}

/**
 * The verification equation libsodium (and WebCrypto engines) check:
 * [S]B − [k]A encodes to exactly R. noble's own verify checks the cofactored
 * equation, which also accepts R or a key with a point of order 8 added: the
 * backends would disagree on such crafted signatures.
 */
function cofactorless (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  const { Point } = ed25519
  const key = Point.fromBytes(publicKey, false)
  const r = signature.subarray(0, 32)
  const k = littleEndian(sha512(concatBytes(r, publicKey, message))) % Point.Fn.ORDER
  const s = littleEndian(signature.subarray(32, 64))
  const check = Point.BASE.multiplyUnsafe(s).subtract(key.multiplyUnsafe(k)).toBytes()
  let diff = 0
  for (let i = 0; i < 32; i++) diff |= check[i]! ^ r[i]!
  return diff === 0
}

function littleEndian (bytes: Uint8Array): bigint {
  let n = 0n
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!)
  return n
}

/**
 * libsodium's rules, so every backend and engine accepts exactly the same
 * signatures: canonical encodings only (no ZIP-215 leniency), S below the
 * group order, and neither the key nor R a point of small order (the
 * identity key with an all-zero S "signs" every message under ZIP-215).
 */
function followsRule (signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.byteLength !== ED25519.SIGNATURE_BYTES || publicKey.byteLength !== ED25519.PUBLIC_KEY_BYTES) return false
  try {
    const key = ed25519.Point.fromBytes(publicKey, false)
    const r = ed25519.Point.fromBytes(signature.subarray(0, 32), false)
    if (key.isSmallOrder() || r.isSmallOrder()) return false
  } catch {
    return false
  }
  return littleEndian(signature.subarray(32, 64)) < ed25519.Point.Fn.ORDER
}
