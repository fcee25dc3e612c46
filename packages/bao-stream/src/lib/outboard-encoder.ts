import { CHUNK_LEN, asWords, chunkCVs, cvToBytes, subtreeCV, type CV, type Words } from './blake3.js'
import { groupLen, outboardLen } from './geometry.js'
import { writeTree, type Encoded, type TreeOptions } from './encode.js'
import { SIMD_CHUNKS } from './simd.js'

/**
 * Builds an outboard from content pushed in pieces, for data larger than
 * memory: only one group of content is held at a time (64 chunks at k = 0,
 * hashed together), plus 32 bytes per group (0.4 % of the content at k = 4,
 * 3.1 % at k = 0) until `finish()` lays the tree out in pre-order.
 */
export class OutboardEncoder {
  private readonly group: number
  private readonly header: boolean
  private readonly k: number
  private readonly cvs: CV[] = []
  private buffer: Uint8Array
  private filled = 0
  private length = 0
  private done = false

  constructor (options: TreeOptions = {}) {
    this.k = options.k ?? 0
    this.group = groupLen(this.k)
    this.header = options.header ?? true
    // One-chunk groups are buffered 64 at a time, to be hashed together (SIMD needs several).
    this.buffer = new Uint8Array(this.k === 0 ? SIMD_CHUNKS * CHUNK_LEN : this.group)
  }

  /** Bytes pushed so far. */
  get bytesIn (): number {
    return this.length
  }

  /** Add content. */
  push (bytes: Uint8Array): void {
    if (this.done) throw new Error('OutboardEncoder: push after finish')
    let at = 0
    while (at < bytes.byteLength) {
      // A full group is hashed only when more content follows: the last group
      // may be the root (a one-group tree) and must wait for finish().
      if (this.filled === this.buffer.byteLength) this.flushGroup()
      const n = Math.min(this.buffer.byteLength - this.filled, bytes.byteLength - at)
      this.buffer.set(bytes.subarray(at, at + n), this.filled)
      this.filled += n
      at += n
    }
    this.length += bytes.byteLength
  }

  /** The outboard and the root hash. */
  finish (): Encoded {
    this.done = true
    const onlyGroup = this.cvs.length === 0 && this.filled <= this.group
    const lastStart = this.cvs.length * this.group
    const rest = asWords(this.buffer.subarray(0, this.filled))
    if (this.k === 0 && !onlyGroup) this.pushChunkCVs(rest, this.filled, lastStart / CHUNK_LEN)
    else this.cvs.push(subtreeCV(rest, 0, this.filled, lastStart / CHUNK_LEN, onlyGroup))
    const out = new Uint8Array(outboardLen(this.length, this.k, this.header))
    // The groups are hashed already: the tree only needs their CVs (the lone group's is the root).
    const root = writeTree(out, this.length, this.group, this.header, (start) => ({ cv: this.cvs[start / this.group] as CV, written: 0 }))
    return { hash: cvToBytes(root), bytes: out }
  }

  private flushGroup (): void {
    const start = this.cvs.length * this.group
    if (this.k === 0) this.pushChunkCVs(asWords(this.buffer), this.buffer.byteLength, start / CHUNK_LEN)
    else this.cvs.push(subtreeCV(asWords(this.buffer), 0, this.group, start / CHUNK_LEN, false))
    this.filled = 0
  }

  private pushChunkCVs (input: Words, len: number, firstChunk: number): void {
    const all = chunkCVs(input, len, firstChunk)
    for (let at = 0; at < all.length; at += 8) this.cvs.push(all.subarray(at, at + 8))
  }
}
