import { compress, IV } from './compress.js'
import { simdKernel } from './kernel.js'
import { SIMD_CHUNKS, type SimdKernel } from './simd.js'

/** BLAKE3 chunk length: the tree's leaves are 1024-byte chunks. */
export const CHUNK_LEN = 1024
const BLOCK_LEN = 64
const CHUNK_START = 1
const CHUNK_END = 2
const PARENT = 4
const ROOT = 8

/** A chaining value: 8 little-endian 32-bit words (32 bytes). */
export type CV = Uint32Array

// Scratch message words, reused: the functions below are not re-entrant,
// which is fine in single-threaded JavaScript.
const m = new Uint32Array(16)
const tail = new Uint8Array(BLOCK_LEN)
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1

/**
 * Input as 32-bit words without copying when it is 4-byte aligned (and the
 * platform little-endian, as every current one is); otherwise an aligned copy.
 */
export interface Words {
  bytes: Uint8Array
  words: Uint32Array | null
}

/** Wrap `bytes` for hashing (see {@link Words}). */
export function asWords (bytes: Uint8Array): Words {
  if (!LITTLE_ENDIAN) return { bytes, words: null }
  // new Uint8Array(view) copies (Buffer#slice would not: it returns a view).
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes)
  return { bytes: aligned, words: new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength >>> 2) }
}

/** Load a partial or unaligned block into the scratch words (zero-padded). */
function loadScratch (bytes: Uint8Array, offset: number, len: number): void {
  let src = bytes
  let at = offset
  if (len < BLOCK_LEN) {
    tail.fill(0)
    tail.set(bytes.subarray(offset, offset + len))
    src = tail
    at = 0
  }
  for (let i = 0; i < 16; i++, at += 4) {
    m[i] = src[at]! | (src[at + 1]! << 8) | (src[at + 2]! << 16) | (src[at + 3]! << 24)
  }
}

/**
 * The chaining value of one chunk (≤ 1024 bytes at `offset`) with chunk
 * counter `counter`. `root` finalises it as the root of a one-chunk tree.
 */
export function chunkCV (input: Words, offset: number, len: number, counter: number, root: boolean, out: CV = new Uint32Array(8)): CV {
  out.set(IV)
  const blocks = Math.max(1, Math.ceil(len / BLOCK_LEN))
  const words = input.words
  for (let b = 0; b < blocks; b++) {
    const at = offset + b * BLOCK_LEN
    const blockLen = b === blocks - 1 ? len - b * BLOCK_LEN : BLOCK_LEN
    let flags = b === 0 ? CHUNK_START : 0
    if (b === blocks - 1) flags |= CHUNK_END | (root ? ROOT : 0)
    // Full blocks of aligned input are read in place; the rest via scratch words.
    if (blockLen === BLOCK_LEN && words !== null && (at & 3) === 0) {
      compress(out, words, at >>> 2, counter, BLOCK_LEN, flags)
    } else {
      loadScratch(input.bytes, at, blockLen)
      compress(out, m, 0, counter, blockLen, flags)
    }
  }
  return out
}

/** The chaining value of a parent node over two children's CVs. */
export function parentCV (left: CV, right: CV, root: boolean, out: CV = new Uint32Array(8)): CV {
  m.set(left, 0)
  m.set(right, 8)
  out.set(IV)
  compress(out, m, 0, 0, BLOCK_LEN, PARENT | (root ? ROOT : 0))
  return out
}

/**
 * Bytes on the left of a subtree of `len` bytes: the largest power-of-two
 * number of chunks strictly less than the whole (BLAKE3's tree shape).
 */
export function leftLen (len: number): number {
  const fullChunks = Math.floor((len - 1) / CHUNK_LEN)
  let chunks = 1
  while (chunks * 2 <= fullChunks) chunks *= 2
  return chunks * CHUNK_LEN
}

/**
 * The chaining value of the subtree holding `len` bytes at `offset`, whose
 * first chunk has counter `firstChunk` (subtrees start on power-of-two chunk
 * boundaries, as the tree shape guarantees).
 */
export function subtreeCV (input: Words, offset: number, len: number, firstChunk: number, root: boolean): CV {
  if (len <= CHUNK_LEN) return chunkCV(input, offset, len, firstChunk, root)
  if (len <= SIMD_CHUNKS * CHUNK_LEN) {
    const simd = simdKernel()
    if (simd !== null) return simdSubtreeCV(simd, input, offset, len, firstChunk, root)
  }
  const left = leftLen(len)
  const l = subtreeCV(input, offset, left, firstChunk, false)
  const r = subtreeCV(input, offset + left, len - left, firstChunk + left / CHUNK_LEN, false)
  return parentCV(l, r, root, l)
}

/**
 * A subtree of up to {@link SIMD_CHUNKS} chunks on the SIMD kernel: its whole
 * chunks four at a time, a partial last chunk here, then the parents.
 */
function simdSubtreeCV (simd: SimdKernel, input: Words, offset: number, len: number, firstChunk: number, root: boolean): CV {
  const count = Math.ceil(len / CHUNK_LEN)
  const whole = len % CHUNK_LEN === 0 ? count : count - 1
  simd.chunks(input.bytes, offset, whole, firstChunk)
  if (whole < count) {
    const at = whole * CHUNK_LEN
    simd.setCV(whole, chunkCV(input, offset + at, len - at, firstChunk + whole, false, lastChunk))
  }
  return simd.reduce(count, root, new Uint32Array(8))
}
const lastChunk = new Uint32Array(8)

/**
 * The CVs of every chunk of `input`'s first `len` bytes, whose first chunk has
 * counter `firstChunk` (none of them the root: the tree has more than one
 * chunk), 8 words each, the whole ones four at a time on the SIMD kernel
 * where it is available.
 */
export function chunkCVs (input: Words, len: number, firstChunk = 0): Uint32Array {
  const count = Math.ceil(len / CHUNK_LEN)
  const out = new Uint32Array(8 * count)
  const simd = simdKernel()
  let done = 0
  if (simd !== null) {
    const whole = Math.floor(len / CHUNK_LEN)
    for (; done < whole; done += SIMD_CHUNKS) {
      const n = Math.min(SIMD_CHUNKS, whole - done)
      simd.chunks(input.bytes, done * CHUNK_LEN, n, firstChunk + done)
      for (let i = 0; i < n; i++) simd.getCV(i, out.subarray(8 * (done + i), 8 * (done + i) + 8))
    }
    done = whole
  }
  for (let i = done; i < count; i++) chunkCV(input, i * CHUNK_LEN, Math.min(CHUNK_LEN, len - i * CHUNK_LEN), firstChunk + i, false, out.subarray(8 * i, 8 * i + 8))
  return out
}

/**
 * The CV of a subtree from the CVs of its consecutive sub-subtrees (all of
 * one power-of-two size but a smaller last one): pairs level by level, an odd
 * last one carried up, which is BLAKE3's tree shape. `cvs` is consumed.
 */
export function mergeCVs (cvs: CV[], root: boolean): CV {
  while (cvs.length > 1) {
    const next: CV[] = []
    for (let i = 0; i + 1 < cvs.length; i += 2) next.push(parentCV(cvs[i] as CV, cvs[i + 1] as CV, root && cvs.length === 2))
    if (cvs.length % 2 === 1) next.push(cvs[cvs.length - 1] as CV)
    cvs = next
  }
  return cvs[0] as CV
}

/** The BLAKE3 hash of `bytes` (equal to its Bao root hash, for any chunk group size). */
export function blake3 (bytes: Uint8Array): Uint8Array {
  return cvToBytes(subtreeCV(asWords(bytes), 0, bytes.byteLength, 0, true))
}

/** 32 little-endian bytes of a CV. */
export function cvToBytes (cv: CV, out: Uint8Array = new Uint8Array(32), at = 0): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const w = cv[i]!
    out[at + i * 4] = w
    out[at + i * 4 + 1] = w >>> 8
    out[at + i * 4 + 2] = w >>> 16
    out[at + i * 4 + 3] = w >>> 24
  }
  return out
}

/** A CV from 32 little-endian bytes at `at`. */
export function bytesToCV (bytes: Uint8Array, at = 0, out: CV = new Uint32Array(8)): CV {
  for (let i = 0; i < 8; i++) {
    const o = at + i * 4
    out[i] = bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16) | (bytes[o + 3]! << 24)
  }
  return out
}

/** Constant-time equality of two CVs, at word offsets `aAt` and `bAt` (no early exit on the first differing word). */
export function cvEqual (a: Uint32Array, b: Uint32Array, aAt = 0, bAt = 0): boolean {
  let diff = 0
  for (let i = 0; i < 8; i++) diff |= a[aAt + i]! ^ b[bAt + i]!
  return diff === 0
}

/** Copy the 8 words of a CV from `src[srcAt…]` to `dst[dstAt…]`. */
export function copyCV (src: Uint32Array, srcAt: number, dst: Uint32Array, dstAt: number): void {
  for (let i = 0; i < 8; i++) dst[dstAt + i] = src[srcAt + i]!
}
