import fc from 'fast-check'
import { decode, encode, LumeError, type Codec } from '../../packages/types/src/index.ts'

/**
 * Runs per property: `LUME_FUZZ_RUNS` (`pnpm fuzz` sets 100 000), else a
 * CI-sized default that keeps each package's fuzz file to a few seconds.
 */
export const FUZZ_RUNS: number = runsFromEnv(process.env.LUME_FUZZ_RUNS, 2000)

function runsFromEnv (text: string | undefined, fallback: number): number {
  const n = Number(text)
  return text !== undefined && Number.isSafeInteger(n) && n > 0 ? n : fallback
}

/** fast-check parameters for a fuzz property: the run count, and committed regressions (of a one-argument property) tried first. */
export function fuzzParams (): { numRuns: number }
export function fuzzParams<T> (examples: T[]): fc.Parameters<[T]>
export function fuzzParams<T> (examples: T[] = []): fc.Parameters<[T]> {
  return { numRuns: FUZZ_RUNS, examples: examples.map((e) => [e] as [T]) }
}

// Bytes that mean something to compact-encoding: varint prefixes and edges.
const INTERESTING = [0x00, 0x01, 0x7f, 0x80, 0xfc, 0xfd, 0xfe, 0xff]

function concat (...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let at = 0
  for (const p of parts) { out.set(p, at); at += p.byteLength }
  return out
}

/**
 * Damaged forms of valid encodings: bit flips, truncation, extension,
 * insertions, deletions, a byte re-spelled as a long varint, and bytes
 * (length fields included) overwritten with varint prefixes and edge values.
 */
export function mutated (valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  const some = fc.uint8Array({ minLength: 1, maxLength: 16 })
  return fc.oneof(
    fc.tuple(valid, fc.nat(), fc.nat(7)).map(([b, i, bit]) => {
      const out = b.slice()
      if (out.byteLength > 0) out[i % out.byteLength] = (out[i % out.byteLength] as number) ^ (1 << bit)
      return out
    }),
    fc.tuple(valid, fc.nat()).map(([b, n]) => b.slice(0, b.byteLength === 0 ? 0 : n % b.byteLength)),
    fc.tuple(valid, some).map(([b, tail]) => concat(b, tail)),
    fc.tuple(valid, fc.nat(), some).map(([b, i, extra]) => {
      const at = i % (b.byteLength + 1)
      return concat(b.subarray(0, at), extra, b.subarray(at))
    }),
    fc.tuple(valid, fc.nat(), fc.integer({ min: 1, max: 8 })).map(([b, i, n]) => {
      const at = i % (b.byteLength + 1)
      return concat(b.subarray(0, at), b.subarray(at + n))
    }),
    fc.tuple(valid, fc.nat(), fc.constantFrom(0xfd, 0xfe, 0xff)).map(([b, i, prefix]) => {
      // A one-byte varint spelled long: `5` as `fd 05 00`, `fe 05 00 00 00`, `ff 05 00 …`.
      if (b.byteLength === 0) return b
      const at = i % b.byteLength
      const long = new Uint8Array(prefix === 0xfd ? 3 : prefix === 0xfe ? 5 : 9)
      long[0] = prefix
      long[1] = b[at] as number
      return concat(b.subarray(0, at), long, b.subarray(at + 1))
    }),
    fc.tuple(valid, fc.nat(), fc.constantFrom(...INTERESTING), fc.uint8Array({ minLength: 0, maxLength: 8 })).map(([b, i, prefix, after]) => {
      // A varint prefix planted at a field boundary, followed by what it claims.
      const at = i % (b.byteLength + 1)
      return concat(b.subarray(0, at), Uint8Array.of(prefix), after, b.subarray(at + 1))
    })
  )
}

/** Random bytes, and damaged forms of `valid` encodings (the mix a hostile peer can send). */
export function hostileBytes (valid: fc.Arbitrary<Uint8Array>, maxLength = 256): fc.Arbitrary<Uint8Array> {
  return fc.oneof(fc.uint8Array({ maxLength }), valid, mutated(valid), mutated(mutated(valid)))
}

/** What {@link decoderProperty} needs to know about one decoder. */
export interface DecoderUnderTest<T> {
  decode: (bytes: Uint8Array) => T
  encode: (value: T) => Uint8Array
  /** True for the one error type a decoder may throw (LumeError). */
  isTypedError: (err: unknown) => boolean
  /**
   * True when every accepted input is the one encoding of its value, so a
   * re-encoding must give the same bytes. False for decoders that accept
   * several encodings of one value (compact-encoding's varints); then the
   * re-encoding must decode to an equal value.
   */
  canonical: boolean
}

/**
 * A wire codec as a {@link DecoderUnderTest}: `decode` of `@lume/types`
 * (whole input, typed errors) and `encode`; canonical only when no varint
 * or string can be spelled two ways.
 */
export function codecUnderTest<T> (codec: Codec<T>, canonical = false): DecoderUnderTest<T> {
  return { decode: (b) => decode(codec, b), encode: (v) => encode(codec, v), isTypedError: LumeError.isInstance, canonical }
}

/**
 * The decoder property: for any bytes, `decode` either throws a typed error
 * or returns a value that re-encodes to the same bytes (canonical) or to
 * bytes that decode to an equal value. Any other exception fails.
 */
export function decoderProperty<T> (input: fc.Arbitrary<Uint8Array>, d: DecoderUnderTest<T>, equal: (a: T, b: T) => boolean = deepEqual): fc.IPropertyWithHooks<[Uint8Array]> {
  return fc.property(input, (bytes) => {
    let value: T
    try {
      value = d.decode(bytes)
    } catch (err) {
      if (d.isTypedError(err)) return
      throw err
    }
    const again = d.encode(value)
    if (d.canonical) {
      if (!bytesEqual(again, bytes)) throw new Error(`re-encoding differs: ${hex(bytes)} → ${hex(again)}`)
    } else if (!equal(d.decode(again), value)) {
      throw new Error(`re-encoding of ${hex(bytes)} decodes to another value`)
    }
  })
}

/** Byte-wise equality. */
export function bytesEqual (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((v, i) => v === b[i])
}

/** Structural equality over plain data and byte arrays (what decoders return). */
export function deepEqual (a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array || b instanceof Uint8Array) return a instanceof Uint8Array && b instanceof Uint8Array && bytesEqual(a, b)
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b)
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
}

/** Lower-case hex, for failure messages and committed regressions. */
export function hex (bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** Bytes from hex (committed regression cases). */
export function unhex (text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (h) => parseInt(h, 16))
}
