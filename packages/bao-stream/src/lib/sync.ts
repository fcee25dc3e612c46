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

function cut (tree: Uint8Array, content: Uint8Array | null, start: number, len: number, options: TreeOptions): Uint8Array {
  if ((options.header ?? true) === false) throw LumeError.invalidArgument('slices carry the length header: encode with the header to cut them')
  const group = groupLen(options.k ?? 0)
  checkRange(start, len)
  if (tree.byteLength < HEADER_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'encoding is shorter than its header')
  const contentLen = decodeHeader(tree)
  const range = sliceRange(contentLen, start, len)
  const parts: Uint8Array[] = [tree.subarray(0, HEADER_LEN)]
  let pos = HEADER_LEN
  const take = (source: Uint8Array, at: number, n: number): void => {
    if (at + n > source.byteLength) throw new LumeError(ErrorCode.TRUNCATED, 'encoding ended early', { details: { offset: at } })
    parts.push(source.subarray(at, at + n))
  }
  const walk = new Traversal(contentLen, group, range.start, range.end)
  while (walk.next()) {
    const node = walk.node
    if (node.kind === 'skip') {
      pos += subtreeEncodedLen(node.len, group, content === null)
    } else if (node.kind === 'parent') {
      take(tree, pos, PARENT_LEN)
      pos += PARENT_LEN
    } else if (content === null) {
      take(tree, pos, node.len)
      pos += node.len
    } else {
      take(content, node.start, node.len)
    }
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const part of parts) { out.set(part, at); at += part.byteLength }
  return out
}
