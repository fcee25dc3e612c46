import { describe, expect, it } from 'vitest'
import { asWords, chunkCV, parentCV } from '../src/lib/blake3.js'
import { loadSimdKernel } from '../src/lib/simd.js'

const hex = (w: Uint32Array): string => Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('hex')

describe('SIMD kernel against the TypeScript kernel, node by node', () => {
  const simd = loadSimdKernel(() => {})
  if (simd === null) throw new Error('this Node has WebAssembly SIMD: the kernel must load')
  const bytes = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 131 + (i >>> 10)) & 255)
  const words = asWords(bytes)

  it.each([0, 5, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 3, 2 ** 43 - 3])('chunk counters from %i (the high word carries inside a group of four)', (counter) => {
    for (const n of [1, 3, 4, 7, 64]) {
      simd.chunks(bytes, 0, n, counter)
      const out = new Uint32Array(8)
      for (let i = 0; i < n; i++) {
        const expected = chunkCV(words, i * 1024, 1024, counter + i, false)
        expect(hex(simd.getCV(i, out)), `n ${n}, chunk ${i}`).toBe(hex(expected))
      }
    }
  })

  it('parents, any count up to 64 plus a carried odd one', () => {
    for (const n of [1, 2, 3, 5, 64, 65, 100]) {
      const blocks = Uint32Array.from({ length: 16 * n }, (_, i) => Math.imul(i + n, 0x9e3779b9) >>> 0)
      const out = new Uint32Array(8 * n)
      simd.hashParents(blocks, n, out)
      for (let i = 0; i < n; i++) {
        const expected = parentCV(blocks.subarray(16 * i, 16 * i + 8), blocks.subarray(16 * i + 8, 16 * i + 16), false)
        expect(hex(out.subarray(8 * i, 8 * i + 8)), `n ${n}, parent ${i}`).toBe(hex(expected))
      }
    }
  })
})
