import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import c from 'compact-encoding'
import {
  bytesCodec, cappedArray, decode, emptyCodec, encode, ErrorCode, hashCodec, jsonCodec, LumeError, publicKeyCodec, signatureCodec,
  stringCodec, toHex, uintCodec, wireErrorCodec, type Codec
} from '../src/index.js'
import { fuzzParams } from '../../../scripts/test-helpers/fuzz.ts'

// The shared codecs are our own bounded reader/writer; their bytes are
// compact-encoding's, which every peer already speaks. Golden bytes pin the
// format; the differential properties check it against compact-encoding
// itself (a dev dependency only).

const hex = <T>(codec: Codec<T>, value: T): string => toHex(encode(codec, value))
const bytes = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16))
const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }

describe('golden bytes', () => {
  it('uint: 1, 3, 5 or 9 bytes, little-endian after a 0xfd/0xfe/0xff marker', () => {
    const cases: Array<[number, string]> = [
      [0, '00'], [1, '01'], [0xfc, 'fc'], [0xfd, 'fdfd00'], [0xffff, 'fdffff'], [0x10000, 'fe00000100'],
      [0xffffffff, 'feffffffff'], [0x100000000, 'ff0000000001000000'], [Number.MAX_SAFE_INTEGER, 'ffffffffffffff1f00']
    ]
    for (const [n, h] of cases) {
      expect(hex(uintCodec, n)).toBe(h)
      expect(decode(uintCodec, bytes(h))).toBe(n)
    }
  })

  it('uint decodes non-minimal forms and refuses values over 2^53 − 1', () => {
    expect(decode(uintCodec, bytes('fd0100'))).toBe(1)
    expect(decode(uintCodec, bytes('fe01000000'))).toBe(1)
    expect(decode(uintCodec, bytes('ff0100000000000000'))).toBe(1)
    expect(LumeError.hasCode(errorOf(() => decode(uintCodec, bytes('ff0000000000002000'))), ErrorCode.BAD_FRAME)).toBe(true)
  })

  it('bytes and strings: uint length then the bytes (UTF-8 for strings)', () => {
    expect(hex(bytesCodec, new Uint8Array([1, 2, 3]))).toBe('03010203')
    expect(hex(bytesCodec, new Uint8Array(0))).toBe('00')
    expect(hex(stringCodec, 'hi')).toBe('026869')
    expect(hex(stringCodec, 'é€')).toBe('05c3a9e282ac')
    expect(hex(stringCodec, '\ud800')).toBe('03efbfbd') // a lone surrogate is written as U+FFFD
    expect(decode(stringCodec, bytes('02c328'))).toBe('\ufffd(') // invalid UTF-8 decodes to U+FFFD
    expect(toHex(encode(bytesCodec, new Uint8Array(300)).subarray(0, 3))).toBe('fd2c01')
  })

  it('fixed-size fields: the bytes alone', () => {
    expect(hex(publicKeyCodec, new Uint8Array(32).fill(0xab))).toBe('ab'.repeat(32))
    expect(hex(hashCodec, new Uint8Array(32).fill(1))).toBe('01'.repeat(32))
    expect(hex(signatureCodec, new Uint8Array(64).fill(2))).toBe('02'.repeat(64))
  })

  it('wire errors, capped arrays, JSON and empty bodies', () => {
    expect(hex(wireErrorCodec, { code: ErrorCode.TIMEOUT, message: 'hi' })).toBe('0754494d454f5554026869')
    expect(hex(cappedArray(uintCodec, 4), [1, 300])).toBe('0201fd2c01')
    expect(hex(jsonCodec, { a: [1, true, null] })).toBe('137b2261223a5b312c747275652c6e756c6c5d7d')
    expect(hex(emptyCodec, null)).toBe('')
  })

  it('short input is a BAD_FRAME at every cut', () => {
    const whole = encode(wireErrorCodec, { code: ErrorCode.TIMEOUT, message: 'hello' })
    for (let i = 0; i < whole.byteLength; i++) {
      expect(LumeError.hasCode(errorOf(() => decode(wireErrorCodec, whole.subarray(0, i))), ErrorCode.BAD_FRAME)).toBe(true)
    }
    for (const h of ['fd01', 'fe010000', 'ff01000000000000']) expect(LumeError.hasCode(errorOf(() => decode(uintCodec, bytes(h))), ErrorCode.BAD_FRAME)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => decode(bytesCodec, bytes('05010203'))), ErrorCode.BAD_FRAME)).toBe(true)
  })
})

describe('same bytes as compact-encoding', () => {
  const uint = fc.oneof(fc.nat(0xfc), fc.nat(0xffff), fc.nat(0xffffffff), fc.maxSafeNat())

  it('encodes identically', () => {
    fc.assert(fc.property(uint, (n) => { expect(toHex(encode(uintCodec, n))).toBe(toHex(c.encode(c.uint, n))) }), fuzzParams())
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => { expect(toHex(encode(bytesCodec, b))).toBe(toHex(c.encode(c.uint8array, b))) }), fuzzParams())
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => { expect(toHex(encode(stringCodec, s))).toBe(toHex(c.encode(c.string, s))) }), fuzzParams())
    fc.assert(fc.property(fc.array(uint, { maxLength: 5 }), (l) => { expect(toHex(encode(cappedArray(uintCodec, 5), l))).toBe(toHex(c.encode(c.array(c.uint), l))) }), fuzzParams())
  })

  it('decodes identically whatever the bytes (or both refuse)', () => {
    const outcome = <T>(f: () => T): { ok: T } | { error: true } => { try { return { ok: f() } } catch { return { error: true } } }
    const pairs: Array<[Codec<unknown>, { decode: (s: { start: number, end: number, buffer: Uint8Array }) => unknown }]> = [
      [uintCodec as Codec<unknown>, c.uint], [bytesCodec as Codec<unknown>, c.uint8array], [stringCodec as Codec<unknown>, c.string],
      [hashCodec as Codec<unknown>, c.fixed32], [signatureCodec as Codec<unknown>, c.fixed64]
    ]
    const input = fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.tuple(fc.constantFrom(0xfd, 0xfe, 0xff), fc.uint8Array({ maxLength: 10 })).map(([m, rest]) => Uint8Array.from([m, ...rest])))
    for (const [ours, theirs] of pairs) {
      fc.assert(fc.property(input, (b) => {
        const a = outcome(() => decode(ours, b))
        const state = { start: 0, end: b.byteLength, buffer: b }
        const e = outcome(() => { const v = theirs.decode(state); if (state.start !== state.end) throw new Error('trailing'); return v })
        expect('error' in a).toBe('error' in e)
        if ('ok' in a && 'ok' in e) expect(a.ok instanceof Uint8Array ? toHex(a.ok) : a.ok).toEqual(e.ok instanceof Uint8Array ? toHex(e.ok) : e.ok)
      }), fuzzParams())
    }
  })
})
