import { hmac } from '@noble/hashes/hmac.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { ErrorCode, LumeError } from '@lume/types'

/** A SLIP-0010 node: 32-byte private key (the ed25519 seed) and chain code. */
export interface Slip10Node {
  privateKey: Uint8Array
  chainCode: Uint8Array
}

const HARDENED = 0x80000000
const CURVE_KEY = /* @__PURE__ */ new TextEncoder().encode('ed25519 seed')

/** The SLIP-0010 ed25519 master node for a BIP39 (or any 16..64 byte) seed. */
export function slip10Master (seed: Uint8Array): Slip10Node {
  if (seed.byteLength < 16 || seed.byteLength > 64) throw LumeError.invalidArgument(`seed must be 16..64 bytes, got ${seed.byteLength}`)
  return split(hmac(sha512, CURVE_KEY, seed))
}

/**
 * The hardened child `index` (without the hardened bit) of `parent`. ed25519
 * has only hardened derivation, as SLIP-0010 says.
 */
export function slip10Child (parent: Slip10Node, index: number): Slip10Node {
  if (!Number.isInteger(index) || index < 0 || index >= HARDENED) {
    throw new LumeError(ErrorCode.INVALID_DERIVATION_PATH, `child index must be 0..2^31-1, got ${index}`)
  }
  const data = new Uint8Array(37)
  data.set(parent.privateKey, 1) // data[0] stays 0x00
  new DataView(data.buffer).setUint32(33, (index | HARDENED) >>> 0, false)
  return split(hmac(sha512, parent.chainCode, data))
}

/** Derive along a path such as `m/44'/1627'/0'/0'/0'`; every step must be hardened. */
export function slip10Derive (seed: Uint8Array, path: string): Slip10Node {
  return parsePath(path).reduce(slip10Child, slip10Master(seed))
}

/** Most steps in a derivation path (BIP32 keeps depth in one byte). */
const MAX_PATH_DEPTH = 255

/** The child indexes of `m/a'/b'/…` (hardened bit removed). */
export function parsePath (path: string): number[] {
  const parts = path.split('/')
  if (parts[0] !== 'm') throw new LumeError(ErrorCode.INVALID_DERIVATION_PATH, `path must start with "m", got "${path.slice(0, 40)}"`)
  // BIP32 records depth in one byte; a longer path would only burn CPU.
  if (parts.length - 1 > MAX_PATH_DEPTH) throw new LumeError(ErrorCode.INVALID_DERIVATION_PATH, `path is ${parts.length - 1} steps deep, over ${MAX_PATH_DEPTH}`)
  return parts.slice(1).map((part) => {
    const match = /^(\d+)['hH]$/.exec(part)
    const index = match === null ? Number.NaN : Number(match[1])
    if (!(index < HARDENED)) {
      throw new LumeError(ErrorCode.INVALID_DERIVATION_PATH, `"${part.slice(0, 20)}" in the path is not a hardened index 0'..2147483647' (ed25519 supports only hardened derivation, e.g. 0')`)
    }
    return index
  })
}

function split (i: Uint8Array): Slip10Node {
  return { privateKey: i.slice(0, 32), chainCode: i.slice(32, 64) }
}
