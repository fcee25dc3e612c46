import { ErrorCode, LumeError } from '@lume/types'
import { asWords, bytesToCV, chunkCV, copyCV, cvEqual, leftLen, mergeCVs, parentCV, subtreeCV, CHUNK_LEN, type CV, type Words } from './blake3.js'
import { simdKernel } from './kernel.js'
import { SIMD_CHUNKS, type SimdKernel } from './simd.js'
import { checkRange, decodeHeader, groupLen, HEADER_LEN, PARENT_LEN, sliceRange, subtreeEncodedLen, subtreeLayout, Traversal, type SubtreeLayout } from './geometry.js'

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
  /** Expected CVs of the nodes still to come, top last: a flat stack of 8-word CVs (no allocation per node). */
  private expected = new Uint32Array(8 * 64)
  private depth = 0
  /** Verified output of the current push, merged into runs over the same buffer. */
  private runBuffer: Uint8Array | null = null
  private runFrom = 0
  private runTo = 0
  private traversal: Traversal | null = null
  /** Content the traversal must verify (whole groups). */
  private range = { start: 0, end: 0 }
  /** Content handed out: the requested range. */
  private output = { start: 0, end: 0 }
  /**
   * A node split across pieces, gathered in blocks of up to 64 KiB allocated
   * as its bytes arrive: nothing is allocated from the untrusted header ahead
   * of them, and no byte is copied twice. A big leaf's full blocks are hashed
   * as they fill (their CVs in `blockCVs`).
   */
  private blocks: Uint8Array[] = []
  private blockCVs: CV[] = []
  private gathered = 0
  /**
   * Nodes waiting to be hashed together on the SIMD kernel, in stream order:
   * whole one-chunk leaves (k = 0), perfect subtrees of whole groups that
   * arrived whole (their chunks and the leaves' on consecutive kernel lanes)
   * and non-root parents. A
   * batched parent's children are expected before it is checked, but nothing
   * below it is handed out unless it matched: the batch is checked in order
   * and stops at the first failure. Flushed when full, before any other leaf,
   * and at the end of every push. Parallel arrays, reused (no allocation per
   * node): kind (0 = one-chunk leaf, 1 = parent, 2 = subtree), slot (a
   * subtree's first lane), content start, bytes and offset, and a subtree's
   * encoded bytes and group count.
   */
  private batchLen = 0
  private readonly batchParent = new Uint8Array(2 * SIMD_CHUNKS + 64)
  private readonly batchSlot = new Int32Array(2 * SIMD_CHUNKS + 64)
  private readonly batchStart = new Float64Array(2 * SIMD_CHUNKS + 64)
  private readonly batchAt = new Int32Array(2 * SIMD_CHUNKS + 64)
  private readonly batchSpan = new Int32Array(2 * SIMD_CHUNKS + 64)
  private readonly batchGroups = new Int32Array(2 * SIMD_CHUNKS + 64)
  /** Where each batched leaf or subtree starts in the kernel's input area. */
  private readonly batchInput = new Int32Array(2 * SIMD_CHUNKS + 64)
  private readonly batchBytes: Uint8Array[] = []
  /** Kernel lanes (chunks) in the batch. */
  private batchLeaves = 0
  private batchParents = 0
  /** Counter of the chunk the next batched lane must have (lanes take consecutive counters). */
  private nextChunk = -1
  /** Expected CVs of batched leaves and subtrees, by first lane. */
  private readonly leafExpected = new Uint32Array(8 * SIMD_CHUNKS)
  /** The batched groups' CVs once hashed (the kernel's slots are reused to reduce subtrees). */
  private readonly laneCVs = new Uint32Array(8 * SIMD_CHUNKS)
  // Parents are counted against the limit only when a leaf joins: room for one more descent (≤ 64 levels).
  private readonly parentExpected = new Uint32Array(8 * (SIMD_CHUNKS + 64))
  private readonly parentBlocks = new Uint32Array(16 * (SIMD_CHUNKS + 64))
  private readonly parentCVs = new Uint32Array(8 * (SIMD_CHUNKS + 64))
  /** Layouts of the perfect subtrees verified whole, by log2 of their leaf count. */
  private readonly layouts: Array<SubtreeLayout | undefined> = []
  private outboardPos = 0
  private finished = false
  private failed: LumeError | null = null
  private verifiedLength: number | null = null

  constructor (hash: Uint8Array, options: DecoderOptions = {}) {
    if (!(hash instanceof Uint8Array) || hash.byteLength !== 32) throw LumeError.invalidArgument('hash must be 32 bytes')
    this.options = options
    this.group = groupLen(options.k ?? 0)
    if (options.range !== undefined) checkRange(options.range.start, options.range.len)
    this.expected.set(bytesToCV(hash), 0)
    this.depth = 1
    const headerInStream = options.outboard === undefined && options.header !== false
    if (!headerInStream) {
      this.start(this.lengthOutOfStream())
      this.skipAhead()
    }
  }

  /** True once every node was verified. */
  get done (): boolean {
    return this.finished && this.failed === null
  }

  /** The verified content length, once the final chunk has verified; null before. */
  get contentLength (): number | null {
    return this.verifiedLength
  }

  /**
   * Consume input bytes; returns the content that verified (possibly
   * nothing). When a node fails, the content verified before it in this same
   * input is still returned; the failure is then in {@link error} and thrown
   * by the next `push` or `finish`.
   *
   * The returned pieces are views, not copies: of `bytes` itself where a node
   * arrived whole in it, or of a buffer the decoder hands over and never
   * touches again. Do not modify `bytes` after pushing it (as with a chunk
   * written to a stream) unless the output was copied first.
   */
  push (bytes: Uint8Array): Uint8Array[] {
    if (this.failed !== null) throw this.failed
    const out: Uint8Array[] = []
    try {
      // One aligned word view per piece; nodes are then offsets into it.
      const piece = asWords(bytes)
      let at = 0
      while (at < piece.bytes.byteLength && !this.finished) {
        const need = this.needed()
        const left = piece.bytes.byteLength - at
        if (this.gathered > 0 || left < need) {
          // A node split across pieces: gather it (only such nodes are copied).
          const take = Math.min(need - this.gathered, left)
          this.gatherBytes(piece.bytes, at, take, need)
          at += take
          if (this.gathered < need) break
          // The blocks are handed out with the node's content: fresh ones for the next node.
          const blocks = this.blocks
          this.blocks = []
          this.gathered = 0
          if (blocks.length === 1) this.consume(asWords(blocks[0] as Uint8Array), 0, out)
          else this.verifyBigLeaf(blocks, out)
        } else {
          const span = this.wholeSubtreeLen(left)
          if (span > 0) {
            this.addSubtree(piece.bytes, at, span, out)
            at += span
          } else {
            this.consume(piece, at, out)
            at += need
          }
        }
        this.skipAhead()
      }
      this.flushBatch(out)
    } catch (err) {
      let failure = err
      // A batched leaf before the failing node may be bad too: the first failure is the one reported.
      try { this.flushBatch(out) } catch (earlier) { failure = earlier }
      this.failed = LumeError.isInstance(failure) ? failure : new LumeError(ErrorCode.HASH_MISMATCH, String(failure), { cause: failure })
    }
    this.flushRun(out)
    return out
  }

  /** The failure that stopped decoding, if any (thrown again by the next `push`/`finish`). */
  get error (): LumeError | null {
    return this.failed
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
        this.depth--
        if (this.options.outboard !== undefined) this.outboardPos += subtreeEncodedLen(node.len, this.group, false)
        continue
      }
      if (node.kind === 'parent' && this.options.outboard !== undefined) {
        const outboard = this.options.outboard
        if (outboard.byteLength < this.outboardPos + PARENT_LEN) throw new LumeError(ErrorCode.TRUNCATED, 'outboard ended early', { details: { offset: node.start } })
        this.verifyParent(outboard, this.outboardPos)
        this.outboardPos += PARENT_LEN
        continue
      }
      // An empty leaf needs no input bytes, but must still be verified.
      if (node.kind === 'leaf' && node.len === 0) { this.verifyLeaf(asWords(new Uint8Array(0)), 0, []); continue }
      return
    }
  }

  private consume (input: Words, at: number, out: Uint8Array[]): void {
    if (this.traversal === null) {
      this.start(decodeHeader(input.bytes, at))
      return
    }
    if (this.traversal.node.kind === 'parent') this.verifyParent(input.bytes, at, input.words)
    else this.verifyLeaf(input, at, out)
  }

  /** Check the parent node at `bytes[at…at+64]` against the expected CV, and expect its children next. */
  private verifyParent (bytes: Uint8Array, at: number, words: Uint32Array | null = null): void {
    const node = (this.traversal as Traversal).node
    if (!node.root && simdKernel() !== null) {
      // Checked with the batch (the root parent, first of all nodes, never waits).
      const slot = this.batchParents++
      const block = slot * 16
      copyCV(this.expected, this.topAt(), this.parentExpected, slot * 8)
      if (words !== null && (at & 3) === 0) {
        copyCV(words, at >>> 2, this.parentBlocks, block)
        copyCV(words, (at >>> 2) + 8, this.parentBlocks, block + 8)
      } else {
        bytesToCV(bytes, at, scratchLeft)
        bytesToCV(bytes, at + 32, scratchRight)
        copyCV(scratchLeft, 0, this.parentBlocks, block)
        copyCV(scratchRight, 0, this.parentBlocks, block + 8)
      }
      this.addToBatch(1, slot, node.start, bytes, at)
      this.depth--
      this.grow()
      // Right first, so the left child is on top: pre-order.
      copyCV(this.parentBlocks, block + 8, this.expected, this.depth * 8)
      copyCV(this.parentBlocks, block, this.expected, this.depth * 8 + 8)
      this.depth += 2
      return
    }
    const left = bytesToCV(bytes, at, scratchLeft)
    const right = bytesToCV(bytes, at + 32, scratchRight)
    if (!cvEqual(parentCV(left, right, node.root, scratchOut), this.expected, 0, this.topAt())) {
      throw mismatch('parent node', node.start)
    }
    this.depth--
    this.grow()
    // Right first, so the left child is on top: pre-order.
    this.expected.set(right, this.depth * 8)
    this.expected.set(left, this.depth * 8 + 8)
    this.depth += 2
  }

  private verifyLeaf (input: Words, at: number, out: Uint8Array[]): void {
    const node = (this.traversal as Traversal).node
    if (node.len === CHUNK_LEN && this.group === CHUNK_LEN && !node.root && simdKernel() !== null) {
      // Whole chunks (k = 0) wait to be hashed four lanes at a time; a gap in the counters flushes first.
      // At k > 0 every lane belongs to a whole group: a one-chunk final group is hashed on its own.
      if (this.batchLeaves > 0 && this.nextChunk !== node.start / CHUNK_LEN) this.flushBatch(out)
      const slot = this.batchLeaves++
      copyCV(this.expected, this.topAt(), this.leafExpected, slot * 8)
      this.addToBatch(0, slot, node.start, input.bytes, at)
      this.nextChunk = node.start / CHUNK_LEN + 1
      this.depth--
      if (this.batchLeaves === SIMD_CHUNKS || this.batchParents >= SIMD_CHUNKS) this.flushBatch(out)
      return
    }
    if (node.len === this.group && this.group <= SIMD_CHUNKS * CHUNK_LEN && !node.root && simdKernel() !== null) {
      this.addSubtree(input.bytes, at, node.len, out)
      return
    }
    this.flushBatch(out)
    // A leaf that starts off a 4-byte boundary in its piece is hashed from an aligned copy.
    const cv = (at & 3) === 0 ? subtreeCV(input, at, node.len, node.start / CHUNK_LEN, node.root) : subtreeCV(asWords(new Uint8Array(input.bytes.subarray(at, at + node.len))), 0, node.len, node.start / CHUNK_LEN, node.root)
    if (!cvEqual(cv, this.expected, 0, this.topAt())) throw mismatch(this.group === CHUNK_LEN ? 'chunk' : 'chunk group', node.start)
    this.depth--
    this.accept(node.start, node.len, input.bytes, at, out)
  }

  /** Hash the batched nodes together and hand out those that match, in order, up to the first that does not. */
  private flushBatch (out: Uint8Array[]): void {
    const n = this.batchLen
    if (n === 0) return
    const leaves = this.batchLeaves
    const parents = this.batchParents
    this.batchLen = 0
    this.batchLeaves = 0
    this.batchParents = 0
    const simd = simdKernel()
    const lanes = this.laneCVs
    if (simd !== null) {
      if (parents > 0) simd.hashParents(this.parentBlocks, parents, this.parentCVs)
      if (leaves > 0) {
        this.loadLeaves(simd, n, leaves)
        // Lanes are whole groups in order: merge each group's chunks for all of them at once, level by level.
        let count = leaves
        const groups = leaves * CHUNK_LEN / this.group
        while (count > groups) { count >>>= 1; simd.parentLevel(count) }
        const base = simd.cvIndex(0)
        lanes.set(simd.cvWords.subarray(base, base + 8 * groups))
      }
    } else {
      // The kernel was switched (useKernel) with nodes batched: hash them with the TypeScript one.
      for (let i = 0; i < n; i++) {
        const at = this.batchSlot[i]! * 8
        if (this.batchParent[i] === 1) {
          const block = this.parentBlocks.subarray(2 * at, 2 * at + 16)
          parentCV(block.subarray(0, 8), block.subarray(8, 16), false, this.parentCVs.subarray(at, at + 8))
        } else if (this.batchParent[i] === 0) {
          chunkCV(asWords(this.batchBytes[i]!.subarray(this.batchAt[i]!, this.batchAt[i]! + CHUNK_LEN)), 0, CHUNK_LEN, this.batchStart[i]! / CHUNK_LEN, false, lanes.subarray(at, at + 8))
        }
      }
    }
    try {
      for (let i = 0; i < n; i++) {
        const slot = this.batchSlot[i]!
        const start = this.batchStart[i]!
        const kind = this.batchParent[i]
        if (kind === 1) {
          if (!cvEqual(this.parentCVs, this.parentExpected, slot * 8, slot * 8)) throw mismatch('parent node', start)
        } else if (kind === 0) {
          if (!cvEqual(lanes, this.leafExpected, slot * 8, slot * 8)) throw mismatch('chunk', start)
          this.accept(start, CHUNK_LEN, this.batchBytes[i]!, this.batchAt[i]!, out)
        } else {
          const bytes = this.batchBytes[i]!
          const at = this.batchAt[i]!
          const groups = this.batchGroups[i]!
          const len = groups * this.group
          if (simd !== null && this.subtreeMatches(simd, i)) {
            const leafAt = (this.layouts[Math.log2(groups)] as SubtreeLayout).leaves
            for (let g = 0; g < groups; g++) this.accept(start + g * this.group, this.group, bytes, at + leafAt[g]!, out)
          } else {
            // Something in it is bad: find the first bad node, handing out what verified before it.
            this.locate(bytes, at, start, len, this.leafExpected.slice(slot * 8, slot * 8 + 8), out)
          }
        }
      }
    } finally {
      this.batchBytes.length = 0
    }
  }

  /**
   * Whether batched subtree `i` verifies, bottom-up: its chunks' CVs are
   * merged level by level on the kernel, each parent node's bytes compared
   * with the two CVs just computed, and the top with the expected CV. All of
   * it matching is exactly what checking it node by node would accept.
   */
  private subtreeMatches (simd: SimdKernel, i: number): boolean {
    const slot = this.batchSlot[i]!
    const groups = this.batchGroups[i]!
    const layout = this.layouts[Math.log2(groups)] as SubtreeLayout
    const input = this.batchInput[i]!
    const words = simd.cvWords
    const base = simd.cvIndex(0)
    const first = slot * CHUNK_LEN / this.group
    let count = groups
    words.set(this.laneCVs.subarray(first * 8, (first + count) * 8), base)
    for (let level = 0; level < layout.levels.length; level++) {
      const parents = layout.levels[level]!
      count >>>= 1
      for (let p = 0; p < count; p++) {
        if (!wordsEqual(words, base + 16 * p, simd.inputIndex(input + parents[p]!), 16)) return false
      }
      simd.parentLevel(count)
    }
    return cvEqual(words, this.leafExpected, base, slot * 8)
  }

  /**
   * Verify the subtree at `bytes[at…]` (content `start`, `len` bytes) node by
   * node against `expected`, handing out each leaf that matches; throws
   * `HASH_MISMATCH` at the first node that does not. Only after a batched
   * subtree failed: speed does not matter here.
   */
  private locate (bytes: Uint8Array, at: number, start: number, len: number, expected: CV, out: Uint8Array[]): void {
    if (len <= this.group) {
      const cv = subtreeCV(asWords(bytes.slice(at, at + len)), 0, len, start / CHUNK_LEN, false)
      if (!cvEqual(cv, expected)) throw mismatch(this.group === CHUNK_LEN ? 'chunk' : 'chunk group', start)
      this.accept(start, len, bytes, at, out)
      return
    }
    const left = bytesToCV(bytes, at)
    const right = bytesToCV(bytes, at + 32)
    if (!cvEqual(parentCV(left, right, false, new Uint32Array(8)), expected)) throw mismatch('parent node', start)
    const l = leftLen(len)
    this.locate(bytes, at + PARENT_LEN, start, l, left, out)
    this.locate(bytes, at + PARENT_LEN + subtreeEncodedLen(l, this.group, true), start + l, len - l, right, out)
  }

  /**
   * Copy the batched chunks and subtrees into the kernel: runs of them close
   * together in one buffer (a few parents apart, as a combined encoding has
   * them) as one span, gaps included, so a batch is a few copies rather than
   * one per chunk. Then hash every lane.
   */
  private loadLeaves (simd: SimdKernel, n: number, leaves: number): void {
    let spanBytes: Uint8Array | null = null
    let spanFrom = 0
    let spanTo = 0
    let spanDst = 0
    let firstLeaf = -1
    const perGroup = this.group / CHUNK_LEN
    for (let i = 0; i < n; i++) {
      const kind = this.batchParent[i]
      if (kind === 1) continue
      const bytes = this.batchBytes[i]!
      const at = this.batchAt[i]!
      if (firstLeaf < 0) firstLeaf = this.batchStart[i]!
      if (spanBytes !== bytes || at < spanTo || at - spanTo > MAX_SPAN_GAP) {
        if (spanBytes !== null) simd.load(spanBytes, spanFrom, spanTo - spanFrom, spanDst)
        spanDst += spanTo - spanFrom
        spanBytes = bytes
        spanFrom = at
      }
      const pos = spanDst + at - spanFrom
      const slot = this.batchSlot[i]!
      if (kind === 0) {
        spanTo = at + CHUNK_LEN
        simd.setLane(slot, pos)
      } else {
        spanTo = at + this.batchSpan[i]!
        this.batchInput[i] = pos
        const groups = this.batchGroups[i]!
        const leafAt = (this.layouts[Math.log2(groups)] as SubtreeLayout).leaves
        for (let g = 0; g < groups; g++) {
          const leaf = pos + leafAt[g]!
          for (let c = 0; c < perGroup; c++) simd.setLane(slot + g * perGroup + c, leaf + c * CHUNK_LEN)
        }
      }
    }
    if (spanBytes !== null) simd.load(spanBytes, spanFrom, spanTo - spanFrom, spanDst)
    simd.hashLoaded(leaves, firstLeaf / CHUNK_LEN)
  }

  /**
   * Batch the current node's whole subtree (a perfect one of whole groups, or
   * one whole group) at `bytes[at … at + span]`, and walk past it: its chunks
   * take the next lanes, verified with the batch.
   */
  private addSubtree (bytes: Uint8Array, at: number, span: number, out: Uint8Array[]): void {
    const t = this.traversal as Traversal
    const { start, len, kind } = t.node
    const chunks = len / CHUNK_LEN
    if (this.batchLeaves > 0 && (this.batchLeaves + chunks > SIMD_CHUNKS || this.nextChunk !== start / CHUNK_LEN)) this.flushBatch(out)
    const groups = len / this.group
    const height = Math.log2(groups)
    this.layouts[height] ??= subtreeLayout(groups, this.group)
    const slot = this.batchLeaves
    this.batchLeaves += chunks
    copyCV(this.expected, this.topAt(), this.leafExpected, slot * 8)
    const i = this.batchLen
    this.addToBatch(2, slot, start, bytes, at)
    this.batchSpan[i] = span
    this.batchGroups[i] = groups
    this.nextChunk = start / CHUNK_LEN + chunks
    this.depth--
    if (kind === 'parent') t.skipChildren()
    if (this.batchLeaves === SIMD_CHUNKS || this.batchParents >= SIMD_CHUNKS) this.flushBatch(out)
  }

  private addToBatch (parent: number, slot: number, start: number, bytes: Uint8Array, at: number): void {
    const i = this.batchLen++
    this.batchParent[i] = parent
    this.batchSlot[i] = slot
    this.batchStart[i] = start
    this.batchAt[i] = at
    this.batchBytes[i] = bytes
  }

  /**
   * Bytes of the whole subtree under the current node when it can be batched
   * whole: a non-root parent over a perfect subtree of whole groups, at
   * most one kernel call of chunks, all of it wanted and all of it among the
   * `left` bytes of this piece (a combined encoding on the SIMD kernel). 0 otherwise.
   */
  private wholeSubtreeLen (left: number): number {
    if (this.traversal === null) return 0
    const node = this.traversal.node
    if (node.kind !== 'parent' || node.root || node.len > SIMD_CHUNKS * CHUNK_LEN || this.options.outboard !== undefined) return 0
    const groups = node.len / this.group
    // Whole groups, a power of two of them: below the root, only the right spine is ragged.
    if (!Number.isInteger(groups) || (groups & (groups - 1)) !== 0) return 0
    if (node.start < this.range.start || node.start + node.len > this.range.end) return 0
    const span = node.len + PARENT_LEN * (groups - 1)
    return span <= left && simdKernel() !== null ? span : 0
  }

  /**
   * A leaf of more than 64 KiB gathered from several pieces: its full blocks
   * were hashed as they filled; hash the last, merge, compare.
   */
  private verifyBigLeaf (blocks: Uint8Array[], out: Uint8Array[]): void {
    this.flushBatch(out)
    const node = (this.traversal as Traversal).node
    const lastBlock = blocks[blocks.length - 1] as Uint8Array
    const cvs = this.blockCVs
    this.blockCVs = []
    cvs.push(subtreeCV(asWords(lastBlock), 0, lastBlock.byteLength, node.start / CHUNK_LEN + (blocks.length - 1) * SIMD_CHUNKS, false))
    if (!cvEqual(mergeCVs(cvs, node.root), this.expected, 0, this.topAt())) throw mismatch('chunk group', node.start)
    this.depth--
    let start = node.start
    for (const block of blocks) {
      this.accept(start, block.byteLength, block, 0, out)
      start += block.byteLength
    }
  }

  /** Verified content [start, start + len), at `bytes[at…]`: note the length if final, emit what the range wants. */
  private accept (start: number, len: number, bytes: Uint8Array, at: number, out: Uint8Array[]): void {
    const t = this.traversal as Traversal
    if (start + len === t.contentLen) this.verifiedLength = t.contentLen
    const from = Math.max(this.output.start, start) - start
    const to = Math.min(this.output.end, start + len) - start
    if (to > from) this.emit(bytes, at + from, at + to, out)
  }

  private gatherBytes (source: Uint8Array, at: number, n: number, need: number): void {
    while (n > 0) {
      const index = Math.floor(this.gathered / BLOCK)
      const filled = this.gathered - index * BLOCK
      if (index === this.blocks.length) this.blocks.push(new Uint8Array(Math.min(BLOCK, need - this.gathered)))
      const block = this.blocks[index] as Uint8Array
      const m = Math.min(n, block.byteLength - filled)
      block.set(source.subarray(at, at + m), filled)
      at += m
      n -= m
      this.gathered += m
      // A full block of a big leaf, with more to come: hash it now, while the rest arrives.
      if (filled + m === BLOCK && this.gathered < need) {
        const start = (this.traversal as Traversal).node.start
        this.blockCVs.push(subtreeCV(asWords(block), 0, BLOCK, start / CHUNK_LEN + index * SIMD_CHUNKS, false))
      }
    }
  }

  /** Word index of the expected CV on top of the stack. */
  private topAt (): number {
    return (this.depth - 1) * 8
  }

  private grow (): void {
    if ((this.depth + 2) * 8 > this.expected.length) {
      const bigger = new Uint32Array(this.expected.length * 2)
      bigger.set(this.expected)
      this.expected = bigger
    }
  }

  /** Hand out verified bytes, merging neighbours in the same buffer into one piece. */
  private emit (buffer: Uint8Array, from: number, to: number, out: Uint8Array[]): void {
    if (this.runBuffer === buffer && this.runTo === from) { this.runTo = to; return }
    this.flushRun(out)
    this.runBuffer = buffer
    this.runFrom = from
    this.runTo = to
  }

  private flushRun (out: Uint8Array[]): void {
    if (this.runBuffer === null) return
    out.push(this.runBuffer.subarray(this.runFrom, this.runTo))
    this.runBuffer = null
  }
}

/** Gathering block: the SIMD kernel's batch of whole chunks. */
const BLOCK = SIMD_CHUNKS * CHUNK_LEN
/**
 * Largest gap between batched chunks copied along with them (4 parents): 64
 * chunks and 63 such gaps fit the kernel's input area (SIMD_INPUT_BYTES).
 */
const MAX_SPAN_GAP = 4 * PARENT_LEN
const scratchLeft = new Uint32Array(8)
const scratchRight = new Uint32Array(8)
const scratchOut = new Uint32Array(8)

/** `n` words at `a` and at `b` are equal; like `cvEqual`, it does not stop at the first difference. */
function wordsEqual (words: Uint32Array, a: number, b: number, n: number): boolean {
  let diff = 0
  for (let i = 0; i < n; i++) diff |= words[a + i]! ^ words[b + i]!
  return diff === 0
}

function mismatch (what: string, offset: number): LumeError {
  return new LumeError(ErrorCode.HASH_MISMATCH, `${what} at content offset ${offset} does not match its hash`, { details: { offset, node: what } })
}
