import { asWords, chunkCVs, CHUNK_LEN, cvToBytes, leftLen, parentCV, subtreeCV, type CV } from './blake3.js'
import { encodeHeader, encodedLen, groupLen, HEADER_LEN, outboardLen, PARENT_LEN } from './geometry.js'

/** Options shared by the encoders. */
export interface TreeOptions {
  /** Chunk groups of 2^k chunks (0 = standard Bao, 4 = 16 KiB as iroh uses). @default 0 */
  k?: number
  /** Start with the 8-byte length header. @default true */
  header?: boolean
}

/** An encoding and the root hash (= the BLAKE3 hash of the content). */
export interface Encoded {
  hash: Uint8Array
  bytes: Uint8Array
}

/** The combined encoding: header, then parents and content in pre-order. */
export function encode (content: Uint8Array, options: TreeOptions = {}): Encoded {
  return buildTree(content, options, true)
}

/** The outboard encoding: header and parent nodes only; the content stays where it is. */
export function outboard (content: Uint8Array, options: TreeOptions = {}): Encoded {
  return buildTree(content, options, false)
}

function buildTree (content: Uint8Array, options: TreeOptions, withContent: boolean): Encoded {
  const k = options.k ?? 0
  const header = options.header ?? true
  const group = groupLen(k)
  const out = new Uint8Array(withContent ? encodedLen(content.byteLength, k, header) : outboardLen(content.byteLength, k, header))
  const input = asWords(content)
  // One-chunk leaves are hashed together up front (several chunks at once is what SIMD needs).
  const leaves = group === CHUNK_LEN && content.byteLength > CHUNK_LEN ? chunkCVs(input, content.byteLength) : null
  const root = writeTree(out, content.byteLength, group, header, (start, len, root, pos) => {
    if (withContent) out.set(content.subarray(start, start + len), pos)
    const at = 8 * (start / CHUNK_LEN)
    const cv = leaves === null ? subtreeCV(input, start, len, start / CHUNK_LEN, root) : leaves.subarray(at, at + 8)
    return { cv, written: withContent ? len : 0 }
  })
  return { hash: cvToBytes(root), bytes: out }
}

/** What a leaf contributes: its CV, and the bytes it wrote at the current position. */
export type LeafWriter = (start: number, len: number, root: boolean, pos: number) => { cv: CV, written: number }

/**
 * Lay a tree out in pre-order into `out` (after the header, if any): each
 * parent's 64 bytes are reserved first and filled once both children are
 * hashed; leaves are whatever `leaf` writes (content, or nothing for an
 * outboard). Returns the root CV. Encoders of every kind share it.
 */
export function writeTree (out: Uint8Array, contentLen: number, group: number, header: boolean, leaf: LeafWriter): CV {
  let pos = 0
  if (header) {
    out.set(encodeHeader(contentLen))
    pos = HEADER_LEN
  }
  const write = (start: number, len: number, root: boolean): CV => {
    if (len <= group) {
      const { cv, written } = leaf(start, len, root, pos)
      pos += written
      return cv
    }
    const at = pos
    pos += PARENT_LEN
    const left = leftLen(len)
    const l = write(start, left, false)
    const r = write(start + left, len - left, false)
    cvToBytes(l, out, at)
    cvToBytes(r, out, at + 32)
    return parentCV(l, r, root)
  }
  return write(0, contentLen, true)
}
