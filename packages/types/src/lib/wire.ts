import type { Codec, EncodingState } from './codec.js'

// Lume's own bounded reader and writer for the shared codecs. The bytes are
// compact-encoding's (every peer already speaks them): a uint is one byte up
// to 0xfc, else a 0xfd/0xfe/0xff marker and 2/4/8 bytes little-endian. Every
// read checks `state.end` first, so short input throws before anything is
// allocated; decode() turns the throw into a BAD_FRAME.

const textEncoder = /* @__PURE__ */ new TextEncoder()
const textDecoder = /* @__PURE__ */ new TextDecoder('utf-8')

function need (state: EncodingState, n: number): Uint8Array {
  if (state.buffer === null || state.end - state.start < n) throw new RangeError('Out of bounds')
  return state.buffer
}

function writeLE (buffer: Uint8Array, at: number, n: number, bytes: number): void {
  for (let i = 0; i < bytes; i++) {
    buffer[at + i] = n % 256
    n = Math.floor(n / 256)
  }
}

function readLE (buffer: Uint8Array, at: number, bytes: number): number {
  let n = 0
  for (let i = bytes - 1; i >= 0; i--) n = n * 256 + buffer[at + i]!
  return n
}

/** A varint uint up to 2^53 − 1; callers check the argument before encoding. */
export const varint: Codec<number> = {
  preencode (state, n) {
    state.end += n <= 0xfc ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9
  },
  encode (state, n) {
    const buffer = need(state, 1)
    const width = n <= 0xfc ? 0 : n <= 0xffff ? 2 : n <= 0xffffffff ? 4 : 8
    if (width === 0) {
      buffer[state.start++] = n
      return
    }
    need(state, 1 + width)
    buffer[state.start++] = width === 2 ? 0xfd : width === 4 ? 0xfe : 0xff
    writeLE(buffer, state.start, n, width)
    state.start += width
  },
  decode (state) {
    const buffer = need(state, 1)
    const marker = buffer[state.start++]!
    if (marker <= 0xfc) return marker
    const width = marker === 0xfd ? 2 : marker === 0xfe ? 4 : 8
    need(state, width)
    const n = readLE(buffer, state.start, width)
    state.start += width
    if (n > Number.MAX_SAFE_INTEGER) throw new RangeError('uint is over 2^53 - 1')
    return n
  }
}

/** One byte, 0..255. */
export const byte: Codec<number> = {
  preencode (state) { state.end += 1 },
  encode (state, n) { need(state, 1)[state.start++] = n },
  decode (state) { return need(state, 1)[state.start++]! }
}

/** Exactly `size` bytes, no prefix; a decoded value is a view of the input. */
export function fixed (size: number): Codec<Uint8Array> {
  return {
    preencode (state) { state.end += size },
    encode (state, value) {
      need(state, size).set(value, state.start)
      state.start += size
    },
    decode (state) {
      const buffer = need(state, size)
      return buffer.subarray(state.start, (state.start += size))
    }
  }
}

/** Bytes with a varint length; a decoded value is a view of the input. */
export const lengthPrefixed: Codec<Uint8Array> = {
  preencode (state, value) {
    varint.preencode(state, value.byteLength)
    state.end += value.byteLength
  },
  encode (state, value) {
    varint.encode(state, value.byteLength)
    fixed(value.byteLength).encode(state, value)
  },
  decode (state) {
    return fixed(varint.decode(state)).decode(state)
  }
}

/** A string as UTF-8 with a varint length; invalid UTF-8 decodes to U+FFFD. */
export const utf8: Codec<string> = {
  preencode (state, s) { lengthPrefixed.preencode(state, textEncoder.encode(s)) },
  encode (state, s) { lengthPrefixed.encode(state, textEncoder.encode(s)) },
  decode (state) { return textDecoder.decode(lengthPrefixed.decode(state)) }
}
