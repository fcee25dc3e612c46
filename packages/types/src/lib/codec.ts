import { LumeError } from './errors.js'

/**
 * An encoder or decoder state: a cursor over a buffer (compact-encoding's
 * shape, so Lume codecs and compact-encoding ones compose).
 */
export interface EncodingState {
  start: number
  end: number
  buffer: Uint8Array | null
}

/**
 * A binary codec in compact-encoding's shape: `preencode` sizes, `encode`
 * writes, `decode` reads. Every wire message in Lume has one.
 */
export interface Codec<T> {
  preencode (state: EncodingState, value: T): void
  encode (state: EncodingState, value: T): void
  decode (state: EncodingState): T
}

/** The value type a codec encodes. */
export type CodecValue<C> = C extends Codec<infer T> ? T : never

/** Encode `value` with `codec` into a new buffer. */
export function encode<T> (codec: Codec<T>, value: T): Uint8Array {
  const state: EncodingState = { start: 0, end: 0, buffer: null }
  codec.preencode(state, value)
  const buffer = new Uint8Array(state.end)
  state.buffer = buffer
  codec.encode(state, value)
  return buffer
}

/**
 * Decode exactly one value from `bytes`. Anything a peer sent that does not
 * decode — short, malformed, or with bytes left over — is a `BAD_FRAME`
 * LumeError, never a RangeError that escapes to the process.
 */
export function decode<T> (codec: Codec<T>, bytes: Uint8Array): T {
  const state: EncodingState = { start: 0, end: bytes.byteLength, buffer: bytes }
  let value: T
  try {
    value = codec.decode(state)
  } catch (err) {
    throw LumeError.badFrame(`malformed message: ${err instanceof Error ? err.message : String(err)}`, err)
  }
  if (state.start !== state.end) throw LumeError.badFrame(`malformed message: ${state.end - state.start} trailing bytes`)
  return value
}
