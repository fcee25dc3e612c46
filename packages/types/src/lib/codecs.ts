import c from 'compact-encoding'
import type { Codec, EncodingState } from './codec.js'
import { ErrorCode, LumeError } from './errors.js'

/** A 32-byte ed25519 public key. */
export const publicKeyCodec: Codec<Uint8Array> = c.fixed32

/** A 64-byte ed25519 signature. */
export const signatureCodec: Codec<Uint8Array> = c.fixed64

/** A 32-byte hash. */
export const hashCodec: Codec<Uint8Array> = c.fixed32

/** Bytes with a varint length prefix. */
export const bytesCodec: Codec<Uint8Array> = c.uint8array

/** A UTF-8 string with a varint length prefix. */
export const stringCodec: Codec<string> = c.string

/** A non-negative integer (varint, up to 2^53 − 1). */
export const uintCodec: Codec<number> = c.uint

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
    c.string.preencode(state, e.code)
    c.string.preencode(state, e.message)
  },
  encode (state: EncodingState, e: WireError) {
    c.string.encode(state, e.code)
    c.string.encode(state, e.message)
  },
  decode (state: EncodingState): WireError {
    const code = c.string.decode(state)
    const message = c.string.decode(state)
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
      c.uint.preencode(state, list.length)
      for (const item of list) codec.preencode(state, item)
    },
    encode (state, list) {
      if (list.length > max) throw LumeError.tooLarge('array', list.length, max)
      c.uint.encode(state, list.length)
      for (const item of list) codec.encode(state, item)
    },
    decode (state) {
      const length = c.uint.decode(state)
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
    c.uint8array.preencode(state, textEncoder.encode(JSON.stringify(value)))
  },
  encode (state, value) {
    c.uint8array.encode(state, textEncoder.encode(JSON.stringify(value)))
  },
  decode (state) {
    const bytes = c.uint8array.decode(state)
    try {
      return JSON.parse(textDecoder.decode(bytes)) as JsonValue
    } catch (err) {
      throw LumeError.badFrame('invalid JSON', err)
    }
  }
}

/** No body at all (zero bytes on the wire). */
export const emptyCodec: Codec<null> = {
  preencode () {},
  encode () {},
  decode () { return null }
}
