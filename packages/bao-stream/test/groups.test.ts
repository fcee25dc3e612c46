import { describe, expect, it } from 'vitest'
import { blake3 as noble } from '@noble/hashes/blake3.js'
import { decode, decodeOutboard, decodeSlice, encode, encodedLen, hash, outboard, outboardLen, slice, OutboardEncoder } from '../src/index.js'
import { forEachKernel } from './kernels.js'

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
function content (len: number, seed = 1): Uint8Array {
  const out = new Uint8Array(len)
  let x = seed
  for (let i = 0; i < len; i++) { x = (x * 1103515245 + 12345) >>> 0; out[i] = x >>> 24 }
  return out
}

// Lengths around every chunk and group boundary that matters for k = 0, 4, 6.
const lengths = [...new Set([0, 1, 1023, 1024, 1025, 2047, 2048, 2049,
  ...[16, 17, 32, 33, 64, 65, 128, 129].flatMap((chunks) => [chunks * 1024 - 1, chunks * 1024, chunks * 1024 + 1]),
  200_000, 1_000_000])].sort((a, b) => a - b)

forEachKernel(() => describe('root hash = BLAKE3 (checked against @noble/hashes)', () => {
  it.each(lengths)('%i bytes', (len) => {
    const data = content(len, len)
    const expected = hex(noble(data))
    expect(hex(hash(data))).toBe(expected)
    for (const k of [0, 4, 6]) {
      expect(hex(encode(data, { k }).hash), `k=${k}`).toBe(expected)
      expect(hex(outboard(data, { k }).hash), `k=${k} outboard`).toBe(expected)
    }
  })
}))

forEachKernel(() => describe.each([4, 6])('chunk groups, k = %i', (k) => {
  const group = 1024 * 2 ** k

  it('round-trip combined and outboard encodings of every boundary length', () => {
    for (const len of lengths) {
      const data = content(len, len + k)
      const enc = encode(data, { k })
      expect(enc.bytes.byteLength).toBe(encodedLen(len, k))
      expect(hex(decode(enc.bytes, enc.hash, { k }))).toBe(hex(data))
      const ob = outboard(data, { k })
      expect(ob.bytes.byteLength).toBe(outboardLen(len, k))
      expect(hex(decodeOutboard(data, ob.bytes, ob.hash, { k }))).toBe(hex(data))
    }
  })

  it('shrink the outboard: 64 bytes per group instead of per chunk', () => {
    const len = 64 * group
    expect(outboardLen(len, k)).toBe(8 + 64 * 63)
    expect(outboardLen(len, 0)).toBe(8 + 64 * (64 * 2 ** k - 1))
  })

  it('fail on a flipped byte anywhere: parents, groups, header', () => {
    const data = content(10 * group + 123, 7)
    const enc = encode(data, { k })
    const positions = [0, 7, 8, 8 + 63, 8 + 64 * 9, 8 + 64 * 9 + 1, enc.bytes.byteLength - 1, Math.floor(enc.bytes.byteLength / 2)]
    for (const at of positions) {
      const bad = Uint8Array.from(enc.bytes)
      bad[at]! ^= 0x40
      expect(() => decode(bad, enc.hash, { k }), `at ${at}`).toThrow(expect.objectContaining({ code: expect.stringMatching(/HASH_MISMATCH|TRUNCATED|TOO_LARGE/) }))
    }
    const ob = outboard(data, { k })
    const badContent = Uint8Array.from(data)
    badContent[5 * group + 17]! ^= 1
    expect(() => decodeOutboard(badContent, ob.bytes, ob.hash, { k })).toThrow(expect.objectContaining({ code: 'HASH_MISMATCH', details: expect.objectContaining({ offset: 5 * group }) }))
  })

  it('cut and decode slices in whole groups', () => {
    const data = content(9 * group + 5, 3)
    const enc = encode(data, { k })
    for (const [start, len] of [[0, 1], [group - 1, 2], [3 * group + 10, 2 * group], [9 * group, 5], [9 * group + 5, 0], [100 * group, 10]] as const) {
      const cut = slice(enc.bytes, start, len, { k })
      expect(hex(decodeSlice(cut, enc.hash, start, len, { k })), `${start}+${len}`).toBe(hex(data.subarray(Math.min(start, data.length), Math.min(start + len, data.length))))
    }
  })

  it('build the same outboard incrementally from pieces of any size', () => {
    const data = content(5 * group + 999, 11)
    const expected = outboard(data, { k })
    for (const piece of [1, 1000, group, group + 1, 1 << 20]) {
      const encoder = new OutboardEncoder({ k })
      for (let at = 0; at < data.length; at += piece) encoder.push(data.subarray(at, at + piece))
      const built = encoder.finish()
      expect(hex(built.hash)).toBe(hex(expected.hash))
      expect(hex(built.bytes)).toBe(hex(expected.bytes))
    }
  })
}))

forEachKernel(() => describe('incremental outboard, standard format', () => {
  it.each([0, 1, 1024, 1025, 5000, 65_535, 65_536, 65_537, 200_000])('%i bytes', (len) => {
    const data = content(len, 9)
    const expected = outboard(data)
    for (const piece of [len, 1000, 65_536]) {
      const encoder = new OutboardEncoder()
      for (let at = 0; at < len; at += Math.max(1, piece)) encoder.push(data.subarray(at, at + piece))
      const built = encoder.finish()
      expect(hex(built.bytes), `piece ${piece}`).toBe(hex(expected.bytes))
      expect(hex(built.hash)).toBe(hex(expected.hash))
    }
  })
}))
