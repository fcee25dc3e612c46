import { describe, expect, it } from 'vitest'
import { outboard, outboardSlicePlan, sliceOutboard, type SlicePiece } from '../src/index.js'

/** The slice a store would cut by reading only the planned pieces. */
function assemble (pieces: SlicePiece[], content: Uint8Array, tree: Uint8Array): Uint8Array {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.len, 0))
  let at = 0
  for (const p of pieces) {
    out.set((p.from === 'content' ? content : tree).subarray(p.start, p.start + p.len), at)
    at += p.len
  }
  return out
}

describe('outboardSlicePlan', () => {
  it('names exactly the outboard and content bytes of sliceOutboard, for every k and range shape', () => {
    const content = new Uint8Array(200_000).map((_, i) => (i * 7) & 0xff)
    for (const k of [0, 2, 4]) {
      const tree = outboard(content, { k }).bytes
      for (const [start, len] of [[0, 0], [0, 1], [0, 200_000], [1023, 2], [16_384, 16_384], [99_999, 50_001], [199_999, 10], [200_000, 0], [500_000, 5]] as const) {
        expect(assemble(outboardSlicePlan(content.length, start, len, { k }), content, tree), `k=${k} ${start}+${len}`).toEqual(sliceOutboard(content, tree, start, len, { k }))
      }
    }
  })

  it('refuses headerless trees and bad ranges', () => {
    expect(() => outboardSlicePlan(10, 0, 1, { header: false })).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    expect(() => outboardSlicePlan(10, -1, 1)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })
})
