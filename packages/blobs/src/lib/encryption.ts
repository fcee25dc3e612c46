import { aead } from '#aead'
import { ErrorCode, LumeError } from '@lume/types'
import { GROUP_BYTES } from './constants.js'

/** Bytes the AEAD adds to each chunk group (the Poly1305 tag). */
export const TAG_BYTES = 16
/** Plaintext bytes in one sealed chunk group: the group less its tag, so sealed groups line up with Bao's. */
export const PLAIN_GROUP_BYTES = GROUP_BYTES - TAG_BYTES
/** Bytes of a blob key. */
export const KEY_BYTES = 32

/** Sealed groups for `plainSize` bytes (the empty blob still has one, holding just a tag). */
export function groupCount (plainSize: number): number {
  return Math.max(1, Math.ceil(plainSize / PLAIN_GROUP_BYTES))
}

/** Bytes of the encrypted blob for `plainSize` bytes of plaintext. */
export function sealedSize (plainSize: number): number {
  return plainSize + groupCount(plainSize) * TAG_BYTES
}

/** Plaintext bytes in an encrypted blob of `size` bytes; `DECRYPTION_FAILED` when no plaintext seals to that size. */
export function plainSize (size: number): number {
  const plain = size - Math.max(1, Math.ceil(size / GROUP_BYTES)) * TAG_BYTES
  if (plain < 0 || sealedSize(plain) !== size) throw new LumeError(ErrorCode.DECRYPTION_FAILED, `no encrypted blob is ${size} bytes long`)
  return plain
}

/** The nonce of group `index`: its index (u64 LE) and whether it is the last, so groups cannot be reordered or cut off. */
function nonce (index: number, last: boolean): Uint8Array {
  const out = new Uint8Array(24)
  new DataView(out.buffer).setBigUint64(0, BigInt(index), true)
  out[8] = last ? 1 : 0
  return out
}

/** Seal group `index` of a blob (XChaCha20-Poly1305 under the blob's key). */
export function sealGroup (key: Uint8Array, index: number, last: boolean, plain: Uint8Array): Uint8Array {
  return aead.seal(key, nonce(index, last), plain)
}

/** Open group `index`; `DECRYPTION_FAILED` for a wrong key or a tampered group. */
export function openGroup (key: Uint8Array, index: number, last: boolean, sealed: Uint8Array): Uint8Array {
  const plain = aead.open(key, nonce(index, last), sealed)
  if (plain === null) throw new LumeError(ErrorCode.DECRYPTION_FAILED, `chunk group ${index} does not open with this key`)
  return plain
}

/**
 * Cuts a byte stream into groups of `groupBytes` as they fill (the last one
 * may be shorter), turning each through `onGroup` with its index.
 */
export class GroupCutter {
  private readonly buffer: Uint8Array
  private filled = 0
  private index: number
  private produced = 0
  private seen = 0

  constructor (private readonly groupBytes: number, private readonly total: number, firstIndex: number, private readonly onGroup: (index: number, bytes: Uint8Array) => Uint8Array) {
    this.buffer = new Uint8Array(groupBytes)
    this.index = firstIndex
  }

  /** Add bytes; returns what the groups they completed turned into. */
  push (bytes: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = []
    let at = 0
    if (this.seen + bytes.byteLength > this.total) throw LumeError.tooLarge('stream', this.seen + bytes.byteLength, this.total)
    while (at < bytes.byteLength) {
      const n = Math.min(this.groupBytes - this.filled, bytes.byteLength - at)
      this.buffer.set(bytes.subarray(at, at + n), this.filled)
      this.filled += n
      this.seen += n
      at += n
      if (this.filled === this.groupBytes) out.push(this.flush())
    }
    return out
  }

  /** The final, shorter group if any (`TRUNCATED` when fewer bytes came than announced). */
  finish (): Uint8Array[] {
    if (this.seen !== this.total) throw new LumeError(ErrorCode.TRUNCATED, `expected ${this.total} bytes, got ${this.seen}`)
    // The empty blob is one empty group.
    return this.filled > 0 || this.produced === 0 ? [this.flush()] : []
  }

  private flush (): Uint8Array {
    const result = this.onGroup(this.index++, this.buffer.slice(0, this.filled))
    this.filled = 0
    this.produced++
    return result
  }
}
