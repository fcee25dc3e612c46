import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { encode, ErrorCode, LumeError } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'
import {
  createInvite, createShortInvite, decodeRecord, encodeRecord, fromBase64url, MAX_ADDRESS_BYTES, MAX_INVITE_LINK_CHARS, openInvite,
  recordCodec, signRecord, toBase64url, type SignedPeerRecord
} from '../src/index.js'
import { decoderProperty, deepEqual, fuzzParams, hostileBytes, unhex } from '../../../scripts/test-helpers/fuzz.ts'

// Records: fixed fields, strict UTF-8 addresses of at most 255 bytes, and
// varints (counts, lengths, timestamp) that accept non-minimal forms, so a
// re-encoding must decode to an equal record. Invite links are trimmed and
// their base64url must be canonical.

const address = fc.oneof(fc.constantFrom('dht', 'ws://127.0.0.1:8080', '10.0.0.1:4000'), fc.string({ unit: 'grapheme', maxLength: 30 }))
const record: fc.Arbitrary<SignedPeerRecord> = fc.record({
  publicKey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  addresses: fc.array(address, { maxLength: 4 }),
  timestamp: fc.oneof(fc.nat(0xffffffff), fc.maxSafeNat()),
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 })
})
const seed = fc.uint8Array({ minLength: 32, maxLength: 32 })
const addresses = fc.array(fc.constantFrom('dht', 'ws://127.0.0.1:8080', '10.0.0.1:4000'), { maxLength: 3 })
const inviteLink = fc.tuple(seed, addresses).map(([s, a]) => createInvite(keyPairFromSeed(s), a))

const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }

// A record whose one address is the given bytes, with a varint length.
function recordWithAddress (addressBytes: Uint8Array): Uint8Array {
  const head = encodeRecord({ publicKey: new Uint8Array(32), addresses: [], timestamp: 1, signature: new Uint8Array(64) })
  const out = new Uint8Array(head.byteLength + 1 + addressBytes.byteLength)
  out.set(head.subarray(0, 33), 0)
  out.set([1, addressBytes.byteLength], 33)
  out.set(addressBytes, 35)
  out.set(head.subarray(34), 35 + addressBytes.byteLength)
  return out
}

describe('fuzz: peer records and invites', () => {
  it('records decode to one that round-trips, or throw a LumeError', () => {
    fc.assert(decoderProperty(hostileBytes(record.map(encodeRecord), 300), { decode: decodeRecord, encode: encodeRecord, isTypedError: LumeError.isInstance, canonical: false }),
      fuzzParams([recordWithAddress(Uint8Array.of(0xff, 0xfe))]))
  })

  it('base64url is canonical: what decodes re-encodes to the same text', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[A-Za-z0-9_-]{0,20}$/)), (text) => {
      let bytes: Uint8Array
      try { bytes = fromBase64url(text) } catch (err) { expect(LumeError.isInstance(err)).toBe(true); return }
      expect(toBase64url(bytes)).toBe(text)
    }), fuzzParams())
  })

  it('openInvite returns verified records or throws a LumeError, for damaged links and random text', () => {
    const damaged = fc.tuple(inviteLink, fc.nat(), fc.string({ maxLength: 4 })).map(([link, i, s]) => link.slice(0, i % link.length) + s + link.slice(i % link.length + 1))
    const reencoded = fc.tuple(inviteLink, fc.nat(), fc.nat(7)).map(([link, i, bit]) => {
      const bytes = fromBase64url(link.slice('lume:invite:'.length))
      bytes[i % bytes.byteLength] = (bytes[i % bytes.byteLength] as number) ^ (1 << bit)
      return 'lume:invite:' + toBase64url(bytes)
    })
    const short = fc.tuple(seed, fc.option(fc.string({ maxLength: 10 }), { nil: undefined })).map(([s, hint]) => createShortInvite(keyPairFromSeed(s).publicKey, hint))
    const input = fc.oneof(inviteLink, damaged, reencoded, short, fc.string({ maxLength: 80 }), fc.string({ maxLength: 40 }).map((s) => 'lume:invite:' + s), fc.string({ maxLength: 70 }).map((s) => 'lume:relay:' + s))
    fc.assert(fc.property(input, (link) => {
      let opened
      try { opened = openInvite(link) } catch (err) { if (LumeError.isInstance(err)) return; throw err }
      for (const r of opened.records) expect(deepEqual(decodeRecord(encodeRecord(r)), r)).toBe(true)
      expect(opened.publicKey.byteLength).toBe(32)
    }), fuzzParams())
  })
})

describe('fuzz regressions: peer records and invites', () => {
  it('an address that is not valid UTF-8 is a BAD_FRAME (it decoded to U+FFFD and re-encoded differently)', () => {
    expect(LumeError.hasCode(errorOf(() => decodeRecord(recordWithAddress(Uint8Array.of(0xff, 0xfe)))), ErrorCode.BAD_FRAME)).toBe(true)
  })

  it('an address over 255 bytes is refused when decoding and when encoding', () => {
    const long = 'a'.repeat(MAX_ADDRESS_BYTES + 1)
    expect(LumeError.hasCode(errorOf(() => signRecord(keyPairFromSeed(new Uint8Array(32)), [long])), ErrorCode.INVALID_ARGUMENT)).toBe(true)
    // version ‖ key ‖ 1 address ‖ 0xfd 0x0100 (256 bytes) ‖ 'a' × 256 ‖ timestamp 1 ‖ signature
    const bytes = unhex('01' + '00'.repeat(32) + '01' + 'fd0001' + '61'.repeat(256) + '01' + '00'.repeat(64))
    expect(LumeError.hasCode(errorOf(() => decodeRecord(bytes)), ErrorCode.BAD_FRAME)).toBe(true)
    expect(decodeRecord(encode(recordCodec, { publicKey: new Uint8Array(32), addresses: ['a'.repeat(MAX_ADDRESS_BYTES)], timestamp: 1, signature: new Uint8Array(64) })).addresses[0]).toHaveLength(MAX_ADDRESS_BYTES)
  })

  it('record encoders refuse a negative or fractional timestamp and a short key', () => {
    const keys = keyPairFromSeed(new Uint8Array(32))
    expect(LumeError.hasCode(errorOf(() => signRecord(keys, ['dht'], -1)), ErrorCode.INVALID_ARGUMENT)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => signRecord(keys, ['dht'], 1.5)), ErrorCode.INVALID_ARGUMENT)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => encodeRecord({ publicKey: new Uint8Array(31), addresses: [], timestamp: 1, signature: new Uint8Array(64) })), ErrorCode.INVALID_ARGUMENT)).toBe(true)
  })

  it('an invite link longer than MAX_INVITE_LINK_CHARS is refused before it is decoded', () => {
    expect(LumeError.hasCode(errorOf(() => openInvite('lume:invite:' + 'A'.repeat(MAX_INVITE_LINK_CHARS))), ErrorCode.TOO_LARGE)).toBe(true)
  })
})

// A committed case: two bytes of a valid base64 group decode only with zero padding bits.
describe('base64url regressions', () => {
  it('non-zero padding bits are refused', () => {
    expect(LumeError.isInstance(errorOf(() => fromBase64url('AB')))).toBe(true)
    expect(fromBase64url('AA')).toEqual(unhex('00'))
  })
})
