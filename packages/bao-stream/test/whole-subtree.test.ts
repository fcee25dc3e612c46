import { describe, expect, it } from 'vitest'
import { BaoDecoder, encode, slice } from '../src/index.js'
import { forEachKernel } from './kernels.js'
import { concat } from './bytes.js'
import { nodeStartOf, parentOffsets } from './layout.js'

// The decoder verifies a perfect subtree that arrived whole in one piece in a
// single pass (SIMD kernel): these cover that path's edges with pieces large
// enough to hold such subtrees, on both kernels.
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
let seed = 7
const random = (n: number): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n }
const content = (len: number): Uint8Array => Uint8Array.from({ length: len }, () => random(256))

/** Push `bytes` in pieces of `size`; the verified output and the failure, if any. */
function decodeIn (bytes: Uint8Array, root: Uint8Array, k: number, size: number): { out: Uint8Array, error: unknown } {
  const decoder = new BaoDecoder(root, { k })
  const out: Uint8Array[] = []
  try {
    for (let at = 0; at < bytes.length; at += size) out.push(...decoder.push(bytes.subarray(at, at + size)))
    decoder.finish()
    return { out: concat(out), error: null }
  } catch (error) {
    return { out: concat(out), error }
  }
}

forEachKernel(() => describe('whole-subtree verification', () => {
  it('decodes every k, empty input, partial final groups, pieces that hold whole subtrees or cut them', () => {
    for (let k = 0; k <= 16; k++) {
      const group = 1024 * 2 ** k
      const lens = k <= 6 ? [0, 1, 2 * group, 2 * group + 1, 64 * 1024 - 1, 64 * 1024, 150_000] : [0, 1, 70_000]
      for (const len of lens) {
        const data = content(len)
        const enc = encode(data, { k })
        for (const size of [enc.bytes.length, 65_536, 34_816 + 8, 99_991]) {
          const { out, error } = decodeIn(enc.bytes, enc.hash, k, size)
          expect(error, `k=${k} len=${len} pieces of ${size}`).toBeNull()
          expect(hex(out), `k=${k} len=${len} pieces of ${size}`).toBe(hex(data))
        }
      }
    }
  })

  it('slices pushed whole: only the requested range, with subtrees inside and across its ends', () => {
    for (const k of [0, 2, 4]) {
      const data = content(300_000)
      const enc = encode(data, { k })
      for (const [start, len] of [[0, 300_000], [1000, 70_000], [65_536, 131_072], [123_457, 100_001], [299_999, 10]] as const) {
        const cut = slice(enc.bytes, start, len, { k })
        const decoder = new BaoDecoder(enc.hash, { k, range: { start, len } })
        const out = concat(decoder.push(cut))
        decoder.finish()
        expect(hex(out), `k=${k} ${start}+${len}`).toBe(hex(data.subarray(start, start + len)))
      }
    }
  })

  it('a corrupted parent or chunk inside a subtree that arrived whole: everything before that node, then HASH_MISMATCH at it', () => {
    for (const k of [0, 1, 4, 5, 6]) {
      const group = 1024 * 2 ** k
      const len = 4 * 65_536 + 3000
      const data = content(len)
      const enc = encode(data, { k })
      const starts = nodeStartOf(len, group)
      const targets = parentOffsets(len, group).map((p, i) => p + (i % 2 === 0 ? 0 : 63))
      for (let i = 0; i < 12; i++) targets.push(8 + random(enc.bytes.length - 8))
      for (const at of targets) {
        const bad = enc.bytes.slice()
        bad[at]! ^= 1 << (at % 8)
        for (const size of [bad.length, 65_536]) {
          const { out, error } = decodeIn(bad, enc.hash, k, size)
          const what = `k=${k} byte ${at} pieces of ${size}`
          expect(error, what).toMatchObject({ code: 'HASH_MISMATCH', details: { offset: starts[at] } })
          expect(hex(out), what).toBe(hex(data.subarray(0, starts[at])))
        }
      }
    }
  })
}))
