import { ErrorCode, LumeError } from '@lume/types'
import { asWords, bytesToCV, cvEqual, parentCV, subtreeCV, CHUNK_LEN, type CV } from './blake3.js'
import { decodeHeader, groupLen, HEADER_LEN, PARENT_LEN, sliceRange, subtreeEncodedLen, Traversal } from './geometry.js'

/** Options for {@link BaoDecoder}. */
export interface DecoderOptions {
  /** Chunk groups of 2^k chunks; must match the encoder's. @default 0 */
  k?: number
  /**
   * Decode only this range (a slice, or the content of an outboard decode
   * starting at the first group that overlaps it). @default everything
   */
  range?: { start: number, len: number }
  /**
   * Verify content against this outboard (header included unless `header` is
   * false): the input is then plain content, not a combined encoding.
   */
  outboard?: Uint8Array
  /** The input (or the outboard) starts with the 8-byte length header. @default true */
  header?: boolean
  /** The content length, when there is no header. */
  length?: number
}

/**
 * Verifies a Bao stream as it arrives and hands out only verified bytes. Feed
 * it with {@link push}; each call returns the content that verified so far.
 * It stops at the first bad node with `HASH_MISMATCH` (details: the content
 * `offset` of the failing chunk, group or parent), and {@link finish} fails
 * with `TRUNCATED` if the input ended early. Trailing bytes after the last
 * node are ignored, as the spec says. The header's length is not trusted:
 * {@link contentLength} is known only once the final chunk verified.
 */
export class BaoDecoder {
  private readonly group: number
  private readonly options: DecoderOptions
  private readonly expected: CV[] = []
  private traversal: Traversal | null = null
  /** Content the traversal must verify (whole groups). */
  private range = { start: 0, end: 0 }
  /** Content handed out: the requested range. */
  private output = { start: 0, end: 0 }
  private pending: Uint8Array | null = null
  private outboardPos = 0
  private finished = false
  private failed: LumeError | null = null
  private verifiedLength: number | null = null

  constructor (hash: Uint8Array, options: DecoderOptions = {}) {
    if (!(hash instanceof Uint8Array) || hash.byteLength !== 32) throw LumeError.invalidArgument('hash must be 32 bytes')
    this.options = options
    this.group = groupLen(options.k ?? 0)
    this.expected.push(bytesToCV(hash))
    const headerInStream = options.outboard === undefined && options.header !== false
    if (!headerInStream) {
      this.start(this.lengthOutOfStream())
      this.skipAhead()
    }
  }

  /** True once every node was verified. */
  get done (): boolean {
    return this.finished
  }

  /** The verified content length, once the final chunk has verified; null before. */
  get contentLength (): number | null {
    return this.verifiedLength
  }

  /** Consume input bytes; returns the content that verified (possibly nothing). */
  push (bytes: Uint8Array): Uint8Array[] {
    if (this.failed !== null) throw this.failed
    const out: Uint8Array[] = []
    try {
      let input = bytes
      while (input.byteLength > 0 && !this.finished) {
        const need = this.needed()
        if (this.pending !== null || input.byteLength < need) {
          const have = this.pending?.byteLength ?? 0
          const take = Math.min(need - have, input.byteLength)
          const joined = new Uint8Array(have + take)
          if (this.pending !== null) joined.set(this.pending)
          joined.set(input.subarray(0, take), have)
          input = input.subarray(take)
          if (joined.byteLength < need) { this.pending = joined; break }
          this.pending = null
          this.consume(joined, out)
        } else {
          this.consume(input.subarray(0, need), out)
          input = input.subarray(need)
        }
        this.skipAhead()
      }
    } catch (err) {
      this.failed = LumeError.isInstance(err) ? err : new LumeError(ErrorCode.HASH_MISMATCH, String(err), { cause: err })
      throw this.failed
    }
    return out
  }

  /** The input is over: throws `TRUNCATED` unless every node verified. */
  finish (): void {
    if (this.failed !== null) throw this.failed
    if (!this.finished) {
      const offset = this.traversal?.node.start ?? 0
      throw new LumeError(ErrorCode.TRUNCATED, `Bao input ended early (at content offset ${offset})`, { details: { offset } })
    }
  }

  private lengthOutOfStream (): number {
    const { outboard, header, length } = this.options
    if (outboard !== undefined && header !== false) {
      if (outboard.byteLength < HEADER_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'outboard is shorter than its header')
      this.outboardPos = HEADER_LEN
      return decodeHeader(outboard)
    }
    if (length === undefined || !Number.isSafeInteger(length) || length < 0) throw LumeError.invalidArgument('without a header, pass the content length')
    return length
  }

  private start (contentLen: number): void {
    const range = this.options.range
    this.range = range === undefined ? { start: 0, end: Math.max(1, contentLen) } : sliceRange(contentLen, range.start, range.len)
    this.output = range === undefined ? { start: 0, end: contentLen } : { start: range.start, end: range.start + range.len }
    this.traversal = new Traversal(contentLen, this.group, this.range.start, this.range.end)
  }

  /** Bytes the next node takes from the input stream. */
  private needed (): number {
    if (this.traversal === null) return HEADER_LEN
    const node = this.traversal.node
    if (node.kind === 'parent') return this.options.outboard === undefined ? PARENT_LEN : 0
    return node.len
  }

  /** Walk past skipped subtrees and outboard parents, which need no stream input. */
  private skipAhead (): void {
    const t = this.traversal
    if (t === null) return
    for (;;) {
      if (!t.next()) { this.finished = true; return }
      const node = t.node
      if (node.kind === 'skip') {
        this.expected.pop()
        if (this.options.outboard !== undefined) this.outboardPos += subtreeEncodedLen(node.len, this.group, false)
        continue
      }
      if (node.kind === 'parent' && this.options.outboard !== undefined) {
        const outboard = this.options.outboard
        if (outboard.byteLength < this.outboardPos + PARENT_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'outboard ended early', { details: { offset: node.start } })
        this.verifyParent(outboard.subarray(this.outboardPos, this.outboardPos + PARENT_LEN))
        this.outboardPos += PARENT_LEN
        continue
      }
      // An empty leaf needs no input bytes, but must still be verified.
      if (node.kind === 'leaf' && node.len === 0) { this.verifyLeaf(new Uint8Array(0), []); continue }
      return
    }
  }

  private consume (bytes: Uint8Array, out: Uint8Array[]): void {
    if (this.traversal === null) {
      this.start(decodeHeader(bytes))
      return
    }
    if (this.traversal.node.kind === 'parent') this.verifyParent(bytes)
    else this.verifyLeaf(bytes, out)
  }

  private verifyParent (bytes: Uint8Array): void {
    const node = (this.traversal as Traversal).node
    const left = bytesToCV(bytes, 0)
    const right = bytesToCV(bytes, 32)
    if (!cvEqual(parentCV(left, right, node.root), this.expected.pop() as CV)) {
      throw mismatch('parent node', node.start)
    }
    this.expected.push(right, left)
  }

  private verifyLeaf (bytes: Uint8Array, out: Uint8Array[]): void {
    const node = (this.traversal as Traversal).node
    const cv = subtreeCV(asWords(bytes), 0, node.len, node.start / CHUNK_LEN, node.root)
    if (!cvEqual(cv, this.expected.pop() as CV)) throw mismatch(this.group === CHUNK_LEN ? 'chunk' : 'chunk group', node.start)
    const t = this.traversal as Traversal
    if (node.start + node.len === t.contentLen) this.verifiedLength = t.contentLen
    const from = Math.max(this.output.start, node.start) - node.start
    const to = Math.min(this.output.end, node.start + node.len) - node.start
    if (to > from) out.push(bytes.subarray(from, to))
  }
}

function mismatch (what: string, offset: number): LumeError {
  return new LumeError(ErrorCode.HASH_MISMATCH, `${what} at content offset ${offset} does not match its hash`, { details: { offset, node: what } })
}
