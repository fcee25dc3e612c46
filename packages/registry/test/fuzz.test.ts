import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { decode, encode, ErrorCode, LumeError } from '@lume/types'
import { keyPairFromSeed } from '@lume/crypto'
import { decodeFloodMessage, encodeFloodMessage, type RegistryFloodMessage } from '../src/lib/flood-messages.js'
import { MAX_REVISION, parseEntry, RegistryMethods, serializeEntry, signedBytes, signEntry } from '../src/index.js'
import { bytesEqual, codecUnderTest, decoderProperty, deepEqual, fuzzParams, hex, hostileBytes, unhex } from '../../../scripts/test-helpers/fuzz.ts'

// Registry entries are a fixed layout, so parseEntry is byte-canonical: what
// it accepts re-serialises to the same bytes. Flood messages carry a varint
// length (non-minimal forms accepted), so for them the re-encoding must
// decode to an equal message.

const seed = fc.uint8Array({ minLength: 32, maxLength: 32 })
const revision = fc.oneof(fc.nat(300), fc.integer({ min: 0, max: MAX_REVISION }), fc.constant(MAX_REVISION))
const signedEntry = fc.tuple(seed, revision, fc.uint8Array({ maxLength: 64 })).map(([s, r, d]) => serializeEntry(signEntry(keyPairFromSeed(s), r, d)))

const errorOf = (f: () => unknown): unknown => { try { f() } catch (err) { return err } return undefined }

// A well-formed frame (right length) signed by no one, with the given revision u64 and data length byte.
function frame (revisionHex: string, len: number, dataBytes = len): Uint8Array {
  return unhex('07ed' + '00'.repeat(32) + revisionHex + len.toString(16).padStart(2, '0') + 'aa'.repeat(dataBytes) + '00'.repeat(64))
}

describe('fuzz: registry entries', () => {
  it('parseEntry returns an entry that re-serialises to the same bytes, or throws a LumeError', () => {
    fc.assert(fc.property(hostileBytes(signedEntry, 200), (bytes) => {
      let entry
      try { entry = parseEntry(bytes, 255) } catch (err) { if (LumeError.isInstance(err)) return; throw err }
      const again = serializeEntry(entry)
      if (!bytesEqual(again, bytes)) throw new Error(`re-serialised differently: ${hex(bytes)}`)
    }), fuzzParams([frame('0000000000000200', 1, 0)]))
  })

  it('flood messages decode to null or to a message that round-trips', () => {
    const message: fc.Arbitrary<RegistryFloodMessage> = fc.oneof(
      fc.record({ type: fc.constant('entry' as const), entry: fc.uint8Array({ maxLength: 120 }) }),
      fc.record({ type: fc.constant('have' as const), entry: fc.uint8Array({ maxLength: 120 }) }),
      fc.record({ type: fc.constant('want' as const), pk: fc.uint8Array({ minLength: 33, maxLength: 33 }) }),
      fc.record({ type: fc.constant('none' as const), pk: fc.uint8Array({ minLength: 33, maxLength: 33 }) })
    )
    fc.assert(fc.property(hostileBytes(message.map(encodeFloodMessage)), (bytes) => {
      const m = decodeFloodMessage(bytes)
      if (m !== null) expect(deepEqual(decodeFloodMessage(encodeFloodMessage(m)), m)).toBe(true)
    }), fuzzParams())
  })
})

describe('fuzz: registry method codecs', () => {
  const pk = fc.uint8Array({ minLength: 33, maxLength: 33 })
  const entryBytes = fc.uint8Array({ maxLength: 120 })

  it('get, set, subscribe: requests and answers', () => {
    const { get, set, subscribe } = RegistryMethods
    fc.assert(decoderProperty(hostileBytes(pk.map((k) => encode(get.request, k))), codecUnderTest(get.request, true)), fuzzParams())
    fc.assert(decoderProperty(hostileBytes(fc.option(entryBytes, { nil: null }).map((v) => encode(get.response, v))), codecUnderTest(get.response)), fuzzParams())
    const status = fc.constantFrom('stored' as const, 'same' as const, 'stale' as const)
    fc.assert(decoderProperty(hostileBytes(fc.record({ status, entry: entryBytes }).map((v) => encode(set.response, v))), codecUnderTest(set.response)), fuzzParams())
    const since = fc.integer({ min: -(2 ** 52), max: 2 ** 52 - 1 })
    fc.assert(decoderProperty(hostileBytes(fc.record({ pk, since }).map((v) => encode(subscribe.request, v))), codecUnderTest(subscribe.request)), fuzzParams())
  })
})

describe('fuzz regressions: registry entries', () => {
  it('a frame of the wrong length is BAD_FRAME even when its revision is over 2^48 (it was INVALID_ARGUMENT)', () => {
    expect(LumeError.hasCode(errorOf(() => parseEntry(frame('0000000000000200', 1, 0))), ErrorCode.BAD_FRAME)).toBe(true)
    expect(LumeError.hasCode(errorOf(() => parseEntry(frame('ffffffffffffffff', 3, 5))), ErrorCode.BAD_FRAME)).toBe(true)
  })

  it('a well-formed frame with a revision over 2^48 is still refused before its signature is checked', () => {
    expect(LumeError.hasCode(errorOf(() => parseEntry(frame('0100000000000100', 1))), ErrorCode.INVALID_ARGUMENT)).toBe(true)
  })
})

describe('fuzz regressions: registry method codecs', () => {
  it('a registry.get answer whose present flag is neither 0 nor 1 is BAD_FRAME (any non-zero flag read as present: two encodings of one answer)', () => {
    const { get } = RegistryMethods
    expect(hex(encode(get.response, null))).toBe('00')
    expect(hex(encode(get.response, unhex('ab')))).toBe('0101ab')
    expect(LumeError.hasCode(errorOf(() => decode(get.response, unhex('0201ab'))), ErrorCode.BAD_FRAME)).toBe(true)
  })
})

describe('registry encoders check their arguments', () => {
  const keys = keyPairFromSeed(new Uint8Array(32).fill(7))
  const invalid = (f: () => unknown): boolean => LumeError.hasCode(errorOf(f), ErrorCode.INVALID_ARGUMENT)

  it('signEntry refuses 256 bytes of data even under a larger limit (its length byte wrapped to 0)', () => {
    expect(LumeError.hasCode(errorOf(() => signEntry(keys, 1, new Uint8Array(256), 1000)), ErrorCode.TOO_LARGE)).toBe(true)
    expect(parseEntry(serializeEntry(signEntry(keys, 1, new Uint8Array(255), 1000)), 255).data.byteLength).toBe(255)
  })

  it('signedBytes refuses −1 (it wrapped to 2^64 − 1), fractions, revisions over 2^48 and over-long data', () => {
    expect(invalid(() => signedBytes(-1, new Uint8Array(0)))).toBe(true)
    expect(invalid(() => signedBytes(1.5, new Uint8Array(0)))).toBe(true)
    expect(invalid(() => signedBytes(MAX_REVISION + 1, new Uint8Array(0)))).toBe(true)
    expect(invalid(() => signedBytes(1, new Uint8Array(256)))).toBe(true)
  })

  it('serializeEntry refuses a malformed entry instead of writing a corrupt frame', () => {
    const good = signEntry(keys, 1, Uint8Array.of(1))
    expect(invalid(() => serializeEntry({ ...good, pk: good.pk.subarray(1) }))).toBe(true)
    expect(invalid(() => serializeEntry({ ...good, signature: new Uint8Array(10) }))).toBe(true)
    expect(invalid(() => serializeEntry({ ...good, revision: -1 }))).toBe(true)
    expect(invalid(() => serializeEntry({ ...good, data: new Uint8Array(300) }))).toBe(true)
  })
})
