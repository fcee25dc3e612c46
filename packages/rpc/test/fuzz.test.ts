import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decode, encode, ErrorCode, LumeError } from '@lume/types'
import { answerLeaf, answerMessage, answerSignatureCodec, proofCodec, verifyAnswer, type AnswerSignature } from '../src/signed.js'
import { CoreMethods } from '../src/core.js'
import { requestEnvelope, responseEnvelope, type ResponseEnvelope } from '../src/internal.js'
import { codecUnderTest, decoderProperty, fuzzParams, hostileBytes, unhex } from '../../../scripts/test-helpers/fuzz.ts'

// Property: any bytes either decode to a value whose encoding decodes to an
// equal value, or throw a LumeError. compact-encoding varints accept
// non-minimal forms (0xfd 0x05 0x00 is 5), so these decoders are not
// byte-canonical; everything else about them is strict.

const varint = fc.oneof(fc.nat(0xfc), fc.integer({ min: 0xfd, max: 0xffff }), fc.integer({ min: 0x10000, max: 0xffffffff }), fc.maxSafeNat())
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 })
const proof = fc.record({ index: varint, count: varint, siblings: fc.array(hash, { maxLength: 16 }) })
const signature = fc.record({ timestamp: varint, signature: fc.uint8Array({ minLength: 64, maxLength: 64 }), proof }, { requiredKeys: ['timestamp', 'signature', 'proof'] })
const signerOrNot = fc.tuple(signature, fc.option(hash, { nil: undefined })).map(([s, signer]): AnswerSignature => signer === undefined ? s : { ...s, signer })
const body = fc.uint8Array({ maxLength: 48 })
const response: fc.Arbitrary<ResponseEnvelope> = fc.oneof(
  fc.record({ kind: fc.constant(0 as const), body, signature: fc.option(signerOrNot, { nil: null }) }),
  fc.record({ kind: fc.constant(1 as const), error: fc.record({ code: fc.constantFrom(...Object.values(ErrorCode)), message: fc.string({ maxLength: 20 }) }) }),
  fc.record({ kind: fc.constant(2 as const), streamId: varint }),
  fc.constant({ kind: 3 as const })
)

const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }

describe('fuzz: RPC envelopes', () => {
  it('request envelopes', () => {
    const valid = fc.record({ sign: fc.boolean(), body }).map((m) => encode(requestEnvelope, m))
    fc.assert(decoderProperty(hostileBytes(valid), codecUnderTest(requestEnvelope, true)), fuzzParams([unhex('0102')]))
  })

  it('response envelopes', () => {
    const valid = response.map((m) => encode(responseEnvelope, m))
    fc.assert(decoderProperty(hostileBytes(valid), codecUnderTest(responseEnvelope)), fuzzParams([unhex('010002' + '00'), unhex('010004' + '00')]))
  })

  it('inclusion proofs', () => {
    fc.assert(decoderProperty(hostileBytes(proof.map((p) => encode(proofCodec, p))), codecUnderTest(proofCodec)), fuzzParams())
  })

  it('answer signatures', () => {
    fc.assert(decoderProperty(hostileBytes(signature.map((s) => encode(answerSignatureCodec, s))), codecUnderTest(answerSignatureCodec)), fuzzParams())
  })

  it('core methods: rpc.broadcast requests and answers, core.ping', () => {
    const relays = fc.array(hash, { maxLength: 3 })
    const request = fc.record({ relays, method: fc.string({ maxLength: 20 }), body, timeoutMs: varint })
    const entry = fc.oneof(
      fc.record({ relay: hash, ok: fc.constant(true as const), body, signature }),
      fc.record({ relay: hash, ok: fc.constant(false as const), error: fc.record({ code: fc.constantFrom(...Object.values(ErrorCode)), message: fc.string({ maxLength: 10 }) }) })
    )
    const { broadcast, ping } = CoreMethods
    fc.assert(decoderProperty(hostileBytes(request.map((r) => encode(broadcast.request, r))), codecUnderTest(broadcast.request)), fuzzParams())
    fc.assert(decoderProperty(hostileBytes(fc.array(entry, { maxLength: 3 }).map((e) => encode(broadcast.response, e)), 400), codecUnderTest(broadcast.response)), fuzzParams())
    fc.assert(decoderProperty(hostileBytes(varint.map((n) => encode(ping.response, n))), codecUnderTest(ping.response)), fuzzParams())
  })

  it('verifyAnswer never throws on whatever a signed OK decodes to', () => {
    const valid = fc.tuple(body, signerOrNot).map(([b, s]) => encode(responseEnvelope, { kind: 0, body: b, signature: s }))
    fc.assert(fc.property(hostileBytes(valid), hash, (bytes, expected) => {
      let m: ResponseEnvelope
      try { m = decode(responseEnvelope, bytes) } catch (err) { expect(LumeError.isInstance(err)).toBe(true); return }
      if (m.kind !== 0 || m.signature === null) return
      const s = m.signature
      expect(typeof verifyAnswer({ relayPublicKey: s.signer ?? expected, requestHash: expected, body: m.body, timestamp: s.timestamp, signature: s.signature, proof: s.proof }, expected)).toBe('boolean')
    }), fuzzParams())
  })
})

describe('fuzz regressions: RPC flags are strict', () => {
  it('a request flag bit the version does not define is a BAD_FRAME', () => {
    expect(LumeError.hasCode(errorOf(() => decode(requestEnvelope, unhex('0102'))), ErrorCode.BAD_FRAME)).toBe(true)
  })

  it('an OK answer flagged "signer" but not "signed" is a BAD_FRAME (it used to decode as unsigned, dropping the bit)', () => {
    expect(LumeError.hasCode(errorOf(() => decode(responseEnvelope, unhex('010002' + '00'))), ErrorCode.BAD_FRAME)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => decode(responseEnvelope, unhex('010004' + '00'))), ErrorCode.BAD_FRAME)).toBe(true)
  })
})

describe('RPC encoders check their arguments', () => {
  const invalid = (f: () => unknown): boolean => LumeError.hasCode(errorOf(f), ErrorCode.INVALID_ARGUMENT)
  const sig = { timestamp: 1, signature: new Uint8Array(64), proof: { index: 0, count: 1, siblings: [] } }

  it('envelopes refuse wrong-size signatures, keys and hashes, and non-integer numbers', () => {
    expect(invalid(() => encode(answerSignatureCodec, { ...sig, signature: new Uint8Array(63) }))).toBe(true)
    expect(invalid(() => encode(answerSignatureCodec, { ...sig, timestamp: -1 }))).toBe(true)
    expect(invalid(() => encode(proofCodec, { index: 0.5, count: 1, siblings: [] }))).toBe(true)
    expect(invalid(() => encode(proofCodec, { index: 0, count: 1, siblings: [new Uint8Array(31)] }))).toBe(true)
    expect(invalid(() => encode(responseEnvelope, { kind: 0, body: new Uint8Array(0), signature: { ...sig, signer: new Uint8Array(33) } }))).toBe(true)
    expect(invalid(() => encode(responseEnvelope, { kind: 2, streamId: 2 ** 53 }))).toBe(true)
  })

  it('answer leaves refuse a negative or fractional timestamp (−1 was written as 2^64 − 1) and short keys', () => {
    const key = new Uint8Array(32)
    expect(invalid(() => answerLeaf(key, key, -1, new Uint8Array(0)))).toBe(true)
    expect(invalid(() => answerMessage(key, key, 1.5, new Uint8Array(0)))).toBe(true)
    expect(invalid(() => answerLeaf(new Uint8Array(31), key, 1, new Uint8Array(0)))).toBe(true)
  })
})
