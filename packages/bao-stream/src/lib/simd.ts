import { BLAKE3_SIMD_WASM } from './blake3-simd.generated.js'

// Memory layout of src/wasm/blake3-simd.wat (byte offsets).
const CVS = 1024
const LANES = 5120
const INPUT = 8192
/** Bytes of the kernel's input area. */
export const SIMD_INPUT_BYTES = 96 * 1024
const PARENT = 4
const ROOT = 8

/** Whole chunks the kernel hashes per call: the size of its lane-address table. */
export const SIMD_CHUNKS = 64

interface KernelExports {
  memory: WebAssembly.Memory
  chunks: (n: number, counterLo: number, counterHi: number) => void
  parents: (n: number, flags: number) => void
}

/**
 * The WebAssembly SIMD BLAKE3 kernel (src/wasm/blake3-simd.wat): whole chunks
 * four at a time, then the parents of a subtree four at a time, level by
 * level. Input is copied into its memory; chaining values live in numbered
 * slots there. Not re-entrant (one instance, single-threaded JavaScript).
 */
export class SimdKernel {
  private readonly memory: Uint8Array
  private readonly words: Uint32Array
  private readonly saved = new Uint32Array(8)

  constructor (private readonly exports: KernelExports) {
    // The module never grows its memory, so these views stay valid.
    this.memory = new Uint8Array(exports.memory.buffer)
    this.words = new Uint32Array(exports.memory.buffer)
  }

  /**
   * Hash `n` (≤ {@link SIMD_CHUNKS}) whole chunks of `bytes` at `offset`, with
   * counters `counter`, `counter + 1`, …, into CV slots 0 … n − 1.
   */
  chunks (bytes: Uint8Array, offset: number, n: number, counter: number): void {
    this.load(bytes, offset, n * 1024, 0)
    for (let i = 0; i < n; i++) this.setLane(i, i * 1024)
    this.hashLoaded(n, counter)
  }

  /** Copy `bytes[from … from + len]` to `to` in the input area (≤ {@link SIMD_INPUT_BYTES} in all). */
  load (bytes: Uint8Array, from: number, len: number, to: number): void {
    if (to < 0 || to + len > SIMD_INPUT_BYTES) throw new RangeError('SIMD input area overflow')
    this.memory.set(bytes.subarray(from, from + len), INPUT + to)
  }

  /** Chunk `slot` of the next {@link hashLoaded} is the 1024 bytes at `at` in the input area. */
  setLane (slot: number, at: number): void {
    if (at < 0 || at + 1024 > SIMD_INPUT_BYTES) throw new RangeError('SIMD lane outside the input area')
    this.words[(LANES >>> 2) + slot] = INPUT + at
  }

  /** Hash the `n` chunks placed with {@link setLane}, counters `counter`, `counter + 1`, …, into CV slots 0 … n − 1. */
  hashLoaded (n: number, counter: number): void {
    this.exports.chunks(n, counter >>> 0, Math.floor(counter / 0x100000000))
  }

  /**
   * The CVs of `n` non-root parent nodes: node i's two child CVs are
   * `blocks[16i … 16i + 16]`; its CV goes to `out[8i …]`.
   */
  hashParents (blocks: Uint32Array, n: number, out: Uint32Array): void {
    const base = CVS >>> 2
    // The CV area holds 64 parents' blocks at a time.
    for (let from = 0; from < n; from += 64) {
      const m = Math.min(64, n - from)
      this.words.set(blocks.subarray(16 * from, 16 * (from + m)), base)
      this.exports.parents(m, PARENT)
      out.set(this.words.subarray(base, base + 8 * m), 8 * from)
    }
  }

  /**
   * One level of parents in place: CV slots 2i and 2i + 1 become slot i's
   * parent, for i < `pairs` (slots from `pairs` to the next multiple of four
   * may be overwritten).
   */
  parentLevel (pairs: number): void {
    this.exports.parents(pairs, PARENT)
  }

  /** Word index in {@link cvWords} of byte `at` of the input area (`at` a multiple of 4). */
  inputIndex (at: number): number {
    return (INPUT + at) >>> 2
  }

  /** Put a chaining value into slot `slot`. */
  setCV (slot: number, cv: Uint32Array): void {
    this.words.set(cv, (CVS >>> 2) + slot * 8)
  }

  /**
   * Merge the CVs in slots 0 … count − 1 (consecutive leaves of one subtree)
   * into the subtree's CV: pairs level by level, an odd last one carried up,
   * which is BLAKE3's tree shape. `root` finalises the top parent.
   */
  reduce (count: number, root: boolean, out: Uint32Array): Uint32Array {
    const base = CVS >>> 2
    while (count > 1) {
      const pairs = count >>> 1
      const odd = (count & 1) === 1
      // The kernel's unused lanes may overwrite the odd slot: keep it aside.
      if (odd) this.saved.set(this.words.subarray(base + 8 * (count - 1), base + 8 * count))
      this.exports.parents(pairs, PARENT | (root && count === 2 ? ROOT : 0))
      if (odd) this.words.set(this.saved, base + 8 * pairs)
      count = pairs + (odd ? 1 : 0)
    }
    out.set(this.words.subarray(base, base + 8))
    return out
  }

  /** The kernel's memory as words, and {@link cvIndex} into it: to compare CVs in place. */
  get cvWords (): Uint32Array {
    return this.words
  }

  /** Word index of CV slot `slot` in {@link cvWords}. */
  cvIndex (slot: number): number {
    return (CVS >>> 2) + slot * 8
  }

  /** Copy CV slot `slot` to `out`. */
  getCV (slot: number, out: Uint32Array): Uint32Array {
    const at = (CVS >>> 2) + slot * 8
    out.set(this.words.subarray(at, at + 8))
    return out
  }
}

function moduleBytes (): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(BLAKE3_SIMD_WASM), (c) => c.charCodeAt(0))
}

/**
 * Instantiate the kernel synchronously; null where WebAssembly or its SIMD
 * is missing. Where only synchronous compilation is refused (a browser's main
 * thread limits it to small modules), `later` gets the kernel once an
 * asynchronous compilation finished.
 */
export function loadSimdKernel (later: (kernel: SimdKernel) => void): SimdKernel | null {
  if (typeof WebAssembly !== 'object') return null
  const bytes = moduleBytes()
  if (!WebAssembly.validate(bytes)) return null
  try {
    return new SimdKernel(new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as KernelExports)
  } catch {
    WebAssembly.instantiate(bytes).then(
      ({ instance }) => { later(new SimdKernel(instance.exports as unknown as KernelExports)) },
      () => { /* stay on the TypeScript kernel */ }
    )
    return null
  }
}
