import type { Codec, EncodingState } from './codec.js'
import { ErrorCode, LumeError } from './errors.js'
import { assertLength, assertUint } from './assert.js'
import { byte as fixedByte, fixed, lengthPrefixed, utf8, varint } from './wire.js'

/** Fixed-size bytes whose encoder refuses any other size (INVALID_ARGUMENT). */
function fixedBytes (name: string, size: 32 | 64): Codec<Uint8Array> {
  const inner = fixed(size)
  return {
    preencode (state) { state.end += size },
    encode (state, value) { assertLength(name, value, size); inner.encode(state, value) },
    decode: inner.decode
  }
}

/** A 32-byte ed25519 public key. */
export const publicKeyCodec: Codec<Uint8Array> = fixedBytes('public key', 32)

/** A 64-byte ed25519 signature. */
export const signatureCodec: Codec<Uint8Array> = fixedBytes('signature', 64)

/** A 32-byte hash. */
export const hashCodec: Codec<Uint8Array> = fixedBytes('hash', 32)

/** Bytes with a varint length prefix. */
export const bytesCodec: Codec<Uint8Array> = lengthPrefixed

/** A UTF-8 string with a varint length prefix. */
export const stringCodec: Codec<string> = utf8

/**
 * A non-negative integer (varint, up to 2^53 − 1). The encoder refuses
 * fractions, negatives and unsafe integers (INVALID_ARGUMENT); the decoder
 * accepts non-minimal forms (so it is not byte-canonical).
 */
export const uintCodec: Codec<number> = {
  preencode (state, n) { varint.preencode(state, n) },
  encode (state, n) { assertUint('integer', n); varint.encode(state, n) },
  decode (state) { return varint.decode(state) }
}

/** A remote error as sent over the wire: stable code and message, never a stack. */
export interface WireError {
  code: ErrorCode
  message: string
}

const knownCodes = new Set<string>(Object.values(ErrorCode))

/**
 * {@link WireError} on the wire: `code (string) ‖ message (string)`. An unknown
 * code from a newer peer decodes as `REMOTE_ERROR` rather than failing.
 */
export const wireErrorCodec: Codec<WireError> = {
  preencode (state: EncodingState, e: WireError) {
    utf8.preencode(state, e.code)
    utf8.preencode(state, e.message)
  },
  encode (state: EncodingState, e: WireError) {
    utf8.encode(state, e.code)
    utf8.encode(state, e.message)
  },
  decode (state: EncodingState): WireError {
    const code = utf8.decode(state)
    const message = utf8.decode(state)
    return { code: knownCodes.has(code) ? (code as ErrorCode) : ErrorCode.REMOTE_ERROR, message }
  }
}

/** Turn a decoded {@link WireError} back into a LumeError on the receiving side. */
export function fromWireError (e: WireError): LumeError {
  return new LumeError(e.code, e.message, { details: { remote: true } })
}

/**
 * A length-capped variant of `codec` for lists a peer controls: decoding a
 * count above `max` fails before anything is allocated.
 */
export function cappedArray<T> (codec: Codec<T>, max: number): Codec<T[]> {
  return {
    preencode (state, list) {
      varint.preencode(state, list.length)
      for (const item of list) codec.preencode(state, item)
    },
    encode (state, list) {
      if (list.length > max) throw LumeError.tooLarge('array', list.length, max)
      varint.encode(state, list.length)
      for (const item of list) codec.encode(state, item)
    },
    decode (state) {
      const length = varint.decode(state)
      if (length > max) throw LumeError.tooLarge('array', length, max)
      const list: T[] = []
      for (let i = 0; i < length; i++) list.push(codec.decode(state))
      return list
    }
  }
}

/** A value JSON can carry. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

const textEncoder = new TextEncoder()
const textDecoder = new TextDecoder('utf-8', { fatal: true })

/**
 * JSON as UTF-8 bytes with a varint length: the generic codec for JSON-like
 * values. Invalid UTF-8 or JSON from a peer decodes to a `BAD_FRAME` error
 * (through {@link decode}), never an exception that escapes.
 */
export const jsonCodec: Codec<JsonValue> = {
  preencode (state, value) {
    lengthPrefixed.preencode(state, textEncoder.encode(JSON.stringify(value)))
  },
  encode (state, value) {
    lengthPrefixed.encode(state, textEncoder.encode(JSON.stringify(value)))
  },
  decode (state) {
    const bytes = lengthPrefixed.decode(state)
    try {
      return JSON.parse(textDecoder.decode(bytes), finiteNumbers) as JsonValue
    } catch (err) {
      throw LumeError.badFrame('invalid JSON', err)
    }
  }
}

// JSON has no Infinity or −0: `1e400` parses to Infinity but re-encodes as
// null, `-0` re-encodes as 0. Refuse the first, normalise the second, so a
// decoded value always survives a round trip.
function finiteNumbers (_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value
  if (!Number.isFinite(value)) throw new RangeError('number out of range')
  return value === 0 ? 0 : value
}

/** No body at all (zero bytes on the wire). */
export const emptyCodec: Codec<null> = {
  preencode () {},
  encode () {},
  decode () { return null }
}

/**
 * `value` or null: a flag byte, 0 (none) or 1 (a value follows). Any other
 * flag is a `BAD_FRAME`, so no two encodings decode alike.
 */
export function optionalCodec<T> (codec: Codec<T>): Codec<T | null> {
  return {
    preencode (state, value) {
      state.end++
      if (value !== null) codec.preencode(state, value)
    },
    encode (state, value) {
      fixedByte.encode(state, value === null ? 0 : 1)
      if (value !== null) codec.encode(state, value)
    },
    decode (state) {
      const flag = fixedByte.decode(state)
      if (flag > 1) throw LumeError.badFrame(`optional value flag is ${flag}, not 0 or 1`)
      return flag === 0 ? null : codec.decode(state)
    }
  }
}
