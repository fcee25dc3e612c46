import { ErrorCode, LumeError } from '@lume/types'
import { BaoDecoder, type DecoderOptions } from './decoder.js'
import { checkRange, decodeHeader, groupLen, HEADER_LEN, PARENT_LEN, sliceRange, subtreeEncodedLen, Traversal } from './geometry.js'
import type { TreeOptions } from './encode.js'

/** Decode a whole combined encoding, verifying every byte against `hash`; returns a new buffer. */
export function decode (encoded: Uint8Array, hash: Uint8Array, options: Omit<DecoderOptions, 'outboard' | 'range'> = {}): Uint8Array {
  return run(new BaoDecoder(hash, options), encoded)
}

/**
 * Verify `content` against its outboard and root hash. Returns a view of
 * `content` itself (no copy) when it verifies: the one output here that
 * aliases an input.
 */
export function decodeOutboard (content: Uint8Array, outboard: Uint8Array, hash: Uint8Array, options: Omit<DecoderOptions, 'outboard' | 'range'> = {}): Uint8Array {
  return run(new BaoDecoder(hash, { ...options, outboard }), content, true)
}

/** Verify a slice (see {@link slice}) and return the content bytes of the range it was cut for, in a new buffer. */
export function decodeSlice (sliceBytes: Uint8Array, hash: Uint8Array, start: number, len: number, options: Omit<DecoderOptions, 'outboard' | 'range'> = {}): Uint8Array {
  return run(new BaoDecoder(hash, { ...options, range: { start, len } }), sliceBytes)
}

function run (decoder: BaoDecoder, input: Uint8Array, alias = false): Uint8Array {
  const parts = decoder.push(input)
  decoder.finish()
  // The decoder's pieces are views of `input`: copy, so the result does not change with it.
  if (alias && parts.length === 1) return parts[0] as Uint8Array
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) { out.set(part, at); at += part.byteLength }
  return out
}

/**
 * Cut the slice for content range [start, start + len) out of a combined
 * encoding: the header, the parents on the way, and the chunks (or groups)
 * that overlap the range. A zero length still covers the chunk at `start`;
 * a start past the end covers the final chunk (Bao's rules).
 */
export function slice (encoded: Uint8Array, start: number, len: number, options: TreeOptions = {}): Uint8Array {
  return cut(encoded, null, start, len, options)
}

/** The same slice, cut from an outboard and the content it describes. */
export function sliceOutboard (content: Uint8Array, outboard: Uint8Array, start: number, len: number, options: TreeOptions = {}): Uint8Array {
  return cut(outboard, content, start, len, options)
}

/** One piece of an outboard slice: bytes of the outboard, or bytes of the content, at absolute offsets. */
export interface SlicePiece {
  from: 'outboard' | 'content'
  start: number
  len: number
}

/**
 * Where the slice for content range [start, start + len) comes from, when
 * the content (`contentLen` bytes) and its outboard are stored apart (e.g. in
 * files): the pieces to read, in order, and concatenate. Lets a store cut a
 * slice while reading only the parents and groups it needs.
 */
export function outboardSlicePlan (contentLen: number, start: number, len: number, options: TreeOptions = {}): SlicePiece[] {
  if ((options.header ?? true) === false) throw LumeError.invalidArgument('slices carry the length header: encode with the header to cut them')
  return plan(contentLen, groupLen(options.k ?? 0), start, len, false)
}

function plan (contentLen: number, group: number, start: number, len: number, combined: boolean): SlicePiece[] {
  checkRange(start, len)
  const range = sliceRange(contentLen, start, len)
  const pieces: SlicePiece[] = [{ from: 'outboard', start: 0, len: HEADER_LEN }]
  let pos = HEADER_LEN
  const walk = new Traversal(contentLen, group, range.start, range.end)
  while (walk.next()) {
    const node = walk.node
    if (node.kind === 'skip') {
      pos += subtreeEncodedLen(node.len, group, combined)
    } else if (node.kind === 'parent') {
      pieces.push({ from: 'outboard', start: pos, len: PARENT_LEN })
      pos += PARENT_LEN
    } else if (combined) {
      pieces.push({ from: 'outboard', start: pos, len: node.len })
      pos += node.len
    } else {
      pieces.push({ from: 'content', start: node.start, len: node.len })
    }
  }
  return pieces
}

function cut (tree: Uint8Array, content: Uint8Array | null, start: number, len: number, options: TreeOptions): Uint8Array {
  if ((options.header ?? true) === false) throw LumeError.invalidArgument('slices carry the length header: encode with the header to cut them')
  const group = groupLen(options.k ?? 0)
  checkRange(start, len)
  if (tree.byteLength < HEADER_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'encoding is shorter than its header')
  const pieces = plan(decodeHeader(tree), group, start, len, content === null)
  const parts: Uint8Array[] = []
  for (const piece of pieces) {
    const source = piece.from === 'content' ? content as Uint8Array : tree
    if (piece.start + piece.len > source.byteLength) throw new LumeError(ErrorCode.TRUNCATED, 'encoding ended early', { details: { offset: piece.start } })
    parts.push(source.subarray(piece.start, piece.start + piece.len))
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) { out.set(part, at); at += part.byteLength }
  return out
}
