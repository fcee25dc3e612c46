import { ErrorCode, LumeError } from '@lume/types'
import { CHUNK_LEN, leftLen } from './blake3.js'

/** Bytes of the length header. */
export const HEADER_LEN = 8
/** Bytes of a parent node: two 32-byte chaining values. */
export const PARENT_LEN = 64
/** Largest chunk-group exponent accepted (2^16 chunks = 64 MiB groups). */
export const MAX_GROUP_EXPONENT = 16

/** Bytes in a chunk group of 2^k chunks (k = 0: plain Bao's 1 KiB chunks; k = 4: iroh's 16 KiB). */
export function groupLen (k: number): number {
  if (!Number.isInteger(k) || k < 0 || k > MAX_GROUP_EXPONENT) throw LumeError.invalidArgument(`chunk group exponent k must be an integer 0..${MAX_GROUP_EXPONENT}, got ${k}`, { k })
  return CHUNK_LEN * 2 ** k
}

/** Leaves (groups) of a tree over `len` bytes; the empty input has one, empty, leaf. */
export function leafCount (len: number, group: number): number {
  return Math.max(1, Math.ceil(len / group))
}

/** Bytes of the outboard of `len` bytes: header and parent nodes. */
export function outboardLen (len: number, k = 0, header = true): number {
  if (!Number.isSafeInteger(len) || len < 0) throw LumeError.invalidArgument('content length must be a non-negative integer below 2^53', { len })
  return (header ? HEADER_LEN : 0) + PARENT_LEN * (leafCount(len, groupLen(k)) - 1)
}

/** Bytes of the combined encoding of `len` bytes: header, parent nodes and content. */
export function encodedLen (len: number, k = 0, header = true): number {
  return outboardLen(len, k, header) + len
}

/** The 8-byte little-endian length header. */
export function encodeHeader (len: number): Uint8Array {
  const out = new Uint8Array(HEADER_LEN)
  new DataView(out.buffer).setBigUint64(0, BigInt(len), true)
  return out
}

/** Read a length header. Untrusted: the decoder proves it by verifying the final chunk. */
export function decodeHeader (bytes: Uint8Array, at = 0): number {
  const len = new DataView(bytes.buffer, bytes.byteOffset + at, HEADER_LEN).getBigUint64(0, true)
  if (len > BigInt(Number.MAX_SAFE_INTEGER)) throw new LumeError(ErrorCode.TOO_LARGE, `content length ${len} in the header is beyond 2^53 − 1`)
  return Number(len)
}

/** What the traversal meets next. */
export type NodeKind = 'parent' | 'leaf' | 'skip'

/**
 * A pre-order walk over the tree of `contentLen` bytes whose leaves are groups
 * of `group` bytes, limited to the leaves that overlap a range: subtrees
 * outside it come out as `skip`. Encoders, slicers and decoders all walk it,
 * so they agree on the order by construction. `next()` reuses one node object.
 */
export class Traversal {
  /** The current node: its kind, the content range it covers, and whether it is the root. */
  readonly node = { kind: 'leaf' as NodeKind, start: 0, len: 0, root: false }
  private readonly stack: number[] = []

  constructor (readonly contentLen: number, readonly group: number, private readonly rangeStart = 0, private readonly rangeEnd = Math.max(1, contentLen)) {
    this.stack.push(0, contentLen, 1)
  }

  /** Leave out the children of the parent just returned by {@link next} (the caller verified its whole subtree). */
  skipChildren (): void {
    this.stack.length -= 6
  }

  /** Advance; false when the walk is over. */
  next (): boolean {
    const { stack, node } = this
    if (stack.length === 0) return false
    const root = stack.pop() === 1
    const len = stack.pop() as number
    const start = stack.pop() as number
    node.start = start
    node.len = len
    node.root = root
    // An empty leaf still covers one position: the empty input's only chunk.
    if (start >= this.rangeEnd || start + Math.max(len, 1) <= this.rangeStart) {
      node.kind = 'skip'
    } else if (len <= this.group) {
      node.kind = 'leaf'
    } else {
      node.kind = 'parent'
      const left = leftLen(len)
      stack.push(start + left, len - left, 0, start, left, 0)
    }
    return true
  }
}

/**
 * The range of content a slice request covers, as Bao defines it: a zero
 * length still covers the byte at `start`, and a start at or past the end
 * covers the final chunk (so the length is proven).
 */
export function sliceRange (contentLen: number, start: number, len: number): { start: number, end: number } {
  checkRange(start, len)
  if (start >= contentLen) {
    const last = contentLen === 0 ? 0 : Math.floor((contentLen - 1) / CHUNK_LEN) * CHUNK_LEN
    return { start: last, end: Math.max(last + 1, contentLen) }
  }
  return { start, end: Math.min(contentLen, start + Math.max(len, 1)) }
}

/** Throws `INVALID_ARGUMENT` unless `start` and `len` are non-negative safe integers. */
export function checkRange (start: number, len: number): void {
  if (!Number.isSafeInteger(start) || start < 0 || !Number.isSafeInteger(len) || len < 0) throw LumeError.invalidArgument('slice start and length must be non-negative integers', { start, len })
}

/** Bytes a subtree of `len` takes in an encoding: its parents, and its content if combined. */
export function subtreeEncodedLen (len: number, group: number, withContent: boolean): number {
  return PARENT_LEN * (leafCount(len, group) - 1) + (withContent ? len : 0)
}

/**
 * Where the nodes of a perfect subtree of `groups` (a power of two) leaves of
 * `group` bytes lie in its combined encoding, as byte offsets from its start:
 * `leaves` left to right, and `levels[l]` the parents whose children are
 * subtrees of 2^l leaves, left to right.
 */
export interface SubtreeLayout {
  leaves: Int32Array
  levels: Int32Array[]
}

/** The {@link SubtreeLayout} of a perfect subtree of `groups` leaves of `group` bytes. */
export function subtreeLayout (groups: number, group: number): SubtreeLayout {
  const height = Math.log2(groups)
  const leaves = new Int32Array(groups)
  const levels = Array.from({ length: height }, (_, l) => new Int32Array(groups >>> (l + 1)))
  const filled = new Int32Array(height)
  let leaf = 0
  let pos = 0
  // Pre-order, as the encoding has them: a parent, then its left and right subtrees.
  const walk = (level: number): void => {
    if (level === 0) { leaves[leaf++] = pos; pos += group; return }
    levels[level - 1]![filled[level - 1]!++] = pos
    pos += PARENT_LEN
    walk(level - 1)
    walk(level - 1)
  }
  walk(height)
  return { leaves, levels }
}
