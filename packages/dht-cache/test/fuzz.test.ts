import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decode, encode, ErrorCode, LumeError, type SignedAnswer } from '@lume/types'
import { CacheMethods, cachedAnswerCodec, decodeAnnouncement, encodeAnnouncement, MAX_HASHES_PER_ANNOUNCE, type CacheAnnouncement } from '../src/index.js'
import { codecUnderTest, decoderProperty, deepEqual, fuzzParams, hostileBytes, unhex } from '../../../scripts/test-helpers/fuzz.ts'

// Varints (ttl, counts, lengths) accept non-minimal forms, so the property
// is that a re-encoding decodes to an equal value.

const uint = fc.oneof(fc.nat(0xfc), fc.nat(0xffffffff), fc.maxSafeNat())
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 })
const announcement: fc.Arbitrary<CacheAnnouncement> = fc.oneof(
  fc.record({ type: fc.constant('have' as const), ttlMs: uint, hashes: fc.array(hash, { maxLength: 6 }) }),
  fc.record({ type: fc.constant('gone' as const), hashes: fc.array(hash, { maxLength: 6 }) }),
  fc.constant({ type: 'online' as const })
)
const answer: fc.Arbitrary<SignedAnswer> = fc.record({
  relayPublicKey: hash,
  requestHash: hash,
  body: fc.uint8Array({ maxLength: 40 }),
  timestamp: uint,
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  proof: fc.record({ index: uint, count: uint, siblings: fc.array(hash, { maxLength: 3 }) })
})
const response = CacheMethods.get.response

const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }

describe('fuzz: cache messages', () => {
  it('announcements decode to null or to one that round-trips', () => {
    fc.assert(fc.property(hostileBytes(announcement.map(encodeAnnouncement)), (bytes) => {
      const m = decodeAnnouncement(bytes)
      if (m !== null) expect(deepEqual(decodeAnnouncement(encodeAnnouncement(m)), m)).toBe(true)
    }), fuzzParams())
  })

  it('an announcement never holds more than the cap', () => {
    const many = encodeAnnouncement({ type: 'have', ttlMs: 1, hashes: [] })
    // Claim MAX + 1 hashes with a 3-byte varint and supply them.
    const head = many.subarray(0, many.byteLength - 1)
    const claimed = Uint8Array.of(0xfd, (MAX_HASHES_PER_ANNOUNCE + 1) & 0xff, (MAX_HASHES_PER_ANNOUNCE + 1) >> 8)
    const bytes = new Uint8Array(head.byteLength + 3 + 32 * (MAX_HASHES_PER_ANNOUNCE + 1))
    bytes.set(head, 0)
    bytes.set(claimed, head.byteLength)
    expect(decodeAnnouncement(bytes)).toBe(null)
  })

  it('cached answers', () => {
    fc.assert(decoderProperty(hostileBytes(answer.map((a) => encode(cachedAnswerCodec, a)), 300), codecUnderTest(cachedAnswerCodec)), fuzzParams())
  })

  it('cache.get answers', () => {
    fc.assert(decoderProperty(hostileBytes(fc.option(answer, { nil: null }).map((a) => encode(response, a)), 300), codecUnderTest(response)), fuzzParams([unhex('02')]))
  })
})

describe('fuzz regressions: cache messages', () => {
  it('a cache.get answer flag other than 0 or 1 is a BAD_FRAME (2 decoded as "present" and re-encoded as 1)', () => {
    const one = encode(response, { relayPublicKey: new Uint8Array(32), requestHash: new Uint8Array(32), body: new Uint8Array(0), timestamp: 1, signature: new Uint8Array(64), proof: { index: 0, count: 1, siblings: [] } })
    const two = one.slice()
    two[0] = 2
    expect(LumeError.hasCode(errorOf(() => decode(response, two)), ErrorCode.BAD_FRAME)).toBe(true)
  })

  it('encodeAnnouncement refuses a fractional or negative ttl', () => {
    expect(LumeError.hasCode(errorOf(() => encodeAnnouncement({ type: 'have', ttlMs: -5, hashes: [] })), ErrorCode.INVALID_ARGUMENT)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => encodeAnnouncement({ type: 'have', ttlMs: 0.5, hashes: [] })), ErrorCode.INVALID_ARGUMENT)).toBe(true)
  })
})
