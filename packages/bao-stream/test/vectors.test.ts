import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decode, decodeOutboard, decodeSlice, encode, hash, outboard, slice } from '../src/index.js'
import { forEachKernel } from './kernels.js'

// The official Bao test vectors (oconnor663/bao tests/test_vectors.json),
// vendored unchanged in fixtures/ (source and licence: fixtures/README.md).
interface Vectors {
  hash: Array<{ input_len: number, bao_hash: string }>
  encode: Array<{ input_len: number, output_len: number, bao_hash: string, encoded_blake3: string, corruptions: number[] }>
  outboard: Array<{ input_len: number, output_len: number, bao_hash: string, encoded_blake3: string, outboard_corruptions: number[], input_corruptions: number[] }>
  seek: Array<{ input_len: number, seek_offsets: number[] }>
  slice: Array<{ input_len: number, bao_hash: string, slices: Array<{ start: number, len: number, output_len: number, output_blake3: string, corruptions: number[] }> }>
}
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/bao-vectors.json', import.meta.url)), 'utf8')) as Vectors

/** The vectors' input: a 4-byte little-endian counter from 1, cut to length. */
function input (len: number): Uint8Array {
  const out = new Uint8Array(len)
  for (let i = 0; i < len; i++) out[i] = ((Math.floor(i / 4) + 1) >>> ((i % 4) * 8)) & 0xff
  return out
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))
const flip = (b: Uint8Array, at: number): Uint8Array => { const c = Uint8Array.from(b); c[at]! ^= 1; return c }

forEachKernel(() => describe('official Bao vectors', () => {
  it.each(vectors.hash)('hash of $input_len bytes', ({ input_len: len, bao_hash: expected }) => {
    expect(hex(hash(input(len)))).toBe(expected)
  })

  it.each(vectors.encode)('combined encoding of $input_len bytes, and every corruption fails', (v) => {
    const content = input(v.input_len)
    const encoded = encode(content)
    expect(hex(encoded.hash)).toBe(v.bao_hash)
    expect(encoded.bytes.byteLength).toBe(v.output_len)
    expect(hex(hash(encoded.bytes))).toBe(v.encoded_blake3)
    expect(hex(decode(encoded.bytes, unhex(v.bao_hash)))).toBe(hex(content))
    for (const at of v.corruptions) {
      expect(() => decode(flip(encoded.bytes, at), unhex(v.bao_hash)), `corruption at ${at}`).toThrow(expect.objectContaining({ code: expect.stringMatching(/^(HASH_MISMATCH|TRUNCATED|TOO_LARGE)$/) }))
    }
  })

  it.each(vectors.outboard)('outboard of $input_len bytes, and every corruption fails', (v) => {
    const content = input(v.input_len)
    const ob = outboard(content)
    expect(hex(ob.hash)).toBe(v.bao_hash)
    expect(ob.bytes.byteLength).toBe(v.output_len)
    expect(hex(hash(ob.bytes))).toBe(v.encoded_blake3)
    expect(hex(decodeOutboard(content, ob.bytes, unhex(v.bao_hash)))).toBe(hex(content))
    for (const at of v.outboard_corruptions) {
      expect(() => decodeOutboard(content, flip(ob.bytes, at), unhex(v.bao_hash)), `outboard corruption at ${at}`).toThrow(expect.objectContaining({ code: expect.any(String) }))
    }
    for (const at of v.input_corruptions) {
      expect(() => decodeOutboard(flip(content, at), ob.bytes, unhex(v.bao_hash)), `input corruption at ${at}`).toThrow(expect.objectContaining({ code: 'HASH_MISMATCH' }))
    }
  })

  it.each(vectors.seek)('seeking in $input_len bytes reads the right tail', (v) => {
    const content = input(v.input_len)
    const encoded = encode(content)
    for (const offset of v.seek_offsets) {
      const rest = Math.max(0, v.input_len - offset)
      const cut = slice(encoded.bytes, offset, rest)
      expect(hex(decodeSlice(cut, encoded.hash, offset, rest)), `offset ${offset}`).toBe(hex(content.subarray(offset)))
    }
  })

  it.each(vectors.slice)('slices of $input_len bytes, and every corruption fails', (v) => {
    const content = input(v.input_len)
    const encoded = encode(content)
    for (const s of v.slices) {
      const cut = slice(encoded.bytes, s.start, s.len)
      expect(cut.byteLength, `slice ${s.start}+${s.len}`).toBe(s.output_len)
      expect(hex(hash(cut))).toBe(s.output_blake3)
      const expected = content.subarray(Math.min(s.start, v.input_len), Math.min(s.start + s.len, v.input_len))
      expect(hex(decodeSlice(cut, unhex(v.bao_hash), s.start, s.len))).toBe(hex(expected))
      for (const at of s.corruptions) {
        expect(() => decodeSlice(flip(cut, at), unhex(v.bao_hash), s.start, s.len), `slice ${s.start}+${s.len} corruption at ${at}`).toThrow(expect.objectContaining({ code: expect.any(String) }))
      }
    }
  })
}))
