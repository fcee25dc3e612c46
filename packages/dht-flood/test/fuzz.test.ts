import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decode, encode, ErrorCode, LumeError } from '@lume/types'
import { packetCodec, packetMessage, type Packet } from '../src/index.js'
import { codecUnderTest, decoderProperty, fuzzParams, hostileBytes, unhex } from '../../../scripts/test-helpers/fuzz.ts'

// A flood packet is fixed fields plus two varints (seq, payload length);
// compact-encoding accepts non-minimal varints, so the property is that a
// re-encoding decodes to an equal packet.

const packet: fc.Arbitrary<Packet> = fc.record({
  origin: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  seq: fc.oneof(fc.nat(0xfc), fc.nat(0xffffffff), fc.maxSafeNat()),
  ttl: fc.nat(255),
  payload: fc.uint8Array({ maxLength: 64 }),
  signature: fc.uint8Array({ minLength: 64, maxLength: 64 })
})

const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }

describe('fuzz: flood packets', () => {
  it('decode returns a packet that round-trips, or throws a LumeError', () => {
    const minimal = '01' + '00'.repeat(32) + '00' + '00' + '00' + '00'.repeat(64)
    fc.assert(decoderProperty(hostileBytes(packet.map((p) => encode(packetCodec, p)), 200), codecUnderTest(packetCodec)), fuzzParams([unhex(minimal), unhex(minimal.replace(/^01/, '02'))]))
  })

  it('the signed message of any decoded packet is computed without throwing', () => {
    fc.assert(fc.property(hostileBytes(packet.map((p) => encode(packetCodec, p)), 200), (bytes) => {
      let p: Packet
      try { p = decode(packetCodec, bytes) } catch { return }
      expect(packetMessage(p.origin, p.seq, p.payload).byteLength).toBe(40 + p.payload.byteLength)
    }), fuzzParams())
  })
})

describe('flood encoders check their arguments', () => {
  const good: Packet = { origin: new Uint8Array(32), seq: 1, ttl: 8, payload: new Uint8Array(0), signature: new Uint8Array(64) }
  const invalid = (f: () => unknown): boolean => LumeError.hasCode(errorOf(f), ErrorCode.INVALID_ARGUMENT)

  it('packetCodec refuses a TTL over 255 (256 was written as 0), a fractional seq and wrong-size keys', () => {
    expect(invalid(() => encode(packetCodec, { ...good, ttl: 256 }))).toBe(true)
    expect(invalid(() => encode(packetCodec, { ...good, ttl: -1 }))).toBe(true)
    expect(invalid(() => encode(packetCodec, { ...good, seq: 1.5 }))).toBe(true)
    expect(invalid(() => encode(packetCodec, { ...good, origin: new Uint8Array(31) }))).toBe(true)
    expect(invalid(() => encode(packetCodec, { ...good, signature: new Uint8Array(32) }))).toBe(true)
  })

  it('packetMessage refuses seq −1 (it was signed as 2^64 − 1) and a short origin', () => {
    expect(invalid(() => packetMessage(new Uint8Array(32), -1, new Uint8Array(0)))).toBe(true)
    expect(invalid(() => packetMessage(new Uint8Array(31), 1, new Uint8Array(0)))).toBe(true)
  })
})
