import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  bytesCodec, cappedArray, decode, encode, ErrorCode, fromHex, hashCodec, jsonCodec, LumeError,
  publicKeyCodec, signatureCodec, stringCodec, toHex, uintCodec, wireErrorCodec
} from '../src/index.js'
import { codecUnderTest, decoderProperty, fuzzParams, hostileBytes, unhex } from '../../../scripts/test-helpers/fuzz.ts'

// Shared codecs. Varints accept non-minimal forms and
// strings decode invalid UTF-8 to U+FFFD, so the property is "re-encodes to
// bytes that decode to an equal value", not byte equality.

const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }
const text = new TextEncoder()
const jsonBytes = (s: string): Uint8Array => encode(bytesCodec, text.encode(s))

describe('fuzz: shared codecs', () => {
  it('uint, bytes, string', () => {
    const uint = fc.oneof(fc.nat(0xfc), fc.nat(0xffff), fc.nat(0xffffffff), fc.maxSafeNat())
    fc.assert(decoderProperty(hostileBytes(uint.map((n) => encode(uintCodec, n))), codecUnderTest(uintCodec)), fuzzParams([unhex('ff0000000000002000')]))
    fc.assert(decoderProperty(hostileBytes(fc.uint8Array({ maxLength: 40 }).map((b) => encode(bytesCodec, b))), codecUnderTest(bytesCodec)), fuzzParams())
    fc.assert(decoderProperty(hostileBytes(fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => encode(stringCodec, s))), codecUnderTest(stringCodec)), fuzzParams())
  })

  it('remote errors', () => {
    const valid = fc.record({ code: fc.constantFrom(...Object.values(ErrorCode)), message: fc.string({ maxLength: 30 }) }).map((e) => encode(wireErrorCodec, e))
    fc.assert(decoderProperty(hostileBytes(valid), codecUnderTest(wireErrorCodec)), fuzzParams())
  })

  it('capped arrays of fixed-size values', () => {
    const codec = cappedArray(hashCodec, 4)
    const valid = fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 4 }).map((l) => encode(codec, l))
    fc.assert(decoderProperty(hostileBytes(valid), codecUnderTest(codec)), fuzzParams())
  })

  it('JSON bodies', () => {
    const valid = fc.json({ maxDepth: 3 }).map(jsonBytes)
    const regressions = ['1e400', '-1e400', '-0', '[1e999]', '{"a":-0.0}'].map(jsonBytes)
    fc.assert(decoderProperty(hostileBytes(valid), codecUnderTest(jsonCodec)), fuzzParams(regressions))
  })

  it('hex', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 70 }), fc.stringMatching(/^[0-9a-fA-F]{0,70}$/)), (s) => {
      let bytes: Uint8Array
      try { bytes = fromHex(s) } catch (err) { expect(LumeError.isInstance(err)).toBe(true); return }
      expect(toHex(bytes)).toBe(s.toLowerCase())
    }), fuzzParams())
  })
})

describe('fuzz regressions: shared codecs', () => {
  it('JSON numbers that overflow to Infinity are a BAD_FRAME (they re-encoded as null)', () => {
    for (const s of ['1e400', '-1e400', '[1e999]']) expect(LumeError.hasCode(errorOf(() => decode(jsonCodec, jsonBytes(s))), ErrorCode.BAD_FRAME)).toBe(true)
  })

  it('JSON −0 decodes as 0 (it re-encoded as 0, another value)', () => {
    expect(Object.is(decode(jsonCodec, jsonBytes('-0')), 0)).toBe(true)
  })
})

describe('encoders check their arguments', () => {
  it('fixed-size fields refuse other sizes with INVALID_ARGUMENT', () => {
    expect(LumeError.hasCode(errorOf(() => encode(publicKeyCodec, new Uint8Array(31))), ErrorCode.INVALID_ARGUMENT)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => encode(signatureCodec, new Uint8Array(65))), ErrorCode.INVALID_ARGUMENT)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => encode(hashCodec, new Uint8Array(0))), ErrorCode.INVALID_ARGUMENT)).toBe(true)
  })

  it('uint refuses fractions, negatives and unsafe integers (1.5 was written as 1)', () => {
    for (const n of [1.5, -1, 2 ** 53, Number.NaN, Infinity]) expect(LumeError.hasCode(errorOf(() => encode(uintCodec, n)), ErrorCode.INVALID_ARGUMENT)).toBe(true)
  })
})
