import { LumeError } from './errors.js'

const DIGITS = '0123456789abcdef'
/** Character codes of the two hex digits of each byte value. */
const HIGH = new Uint8Array(256)
const LOW = new Uint8Array(256)
for (let i = 0; i < 256; i++) {
  HIGH[i] = DIGITS.charCodeAt(i >> 4)
  LOW[i] = DIGITS.charCodeAt(i & 15)
}
/** Byte values of hex digit character codes; 255 for anything else. */
const VALUE = new Uint8Array(128).fill(255)
for (let i = 0; i < 16; i++) {
  VALUE[DIGITS.charCodeAt(i)] = i
  VALUE[DIGITS.toUpperCase().charCodeAt(i)] = i
}
// String.fromCharCode.apply takes its codes as arguments: stay well under engines' argument limits.
const CHUNK = 8192

/**
 * Lower-case hex of `bytes`, as one flat string.
 *
 * Built from character codes in one step rather than by appending two digits
 * at a time: appending makes a rope of one node per byte (~1 KB for a 32-byte
 * key), which a map keyed by hex keeps alive for as long as the key lives.
 */
export function toHex (bytes: Uint8Array): string {
  const codes = new Uint8Array(bytes.byteLength * 2)
  for (let i = 0; i < bytes.byteLength; i++) {
    const b = bytes[i] as number
    codes[2 * i] = HIGH[b] as number
    codes[2 * i + 1] = LOW[b] as number
  }
  if (codes.byteLength <= CHUNK) return String.fromCharCode.apply(null, codes as unknown as number[])
  const parts: string[] = []
  for (let at = 0; at < codes.byteLength; at += CHUNK) parts.push(String.fromCharCode.apply(null, codes.subarray(at, at + CHUNK) as unknown as number[]))
  return parts.join('')
}

/** Bytes of a hex string; INVALID_ARGUMENT for odd length or non-hex characters (and for a wrong length when `length` is given). */
export function fromHex (text: string, length?: number): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0) throw notHex(text)
  const bytes = new Uint8Array(text.length / 2)
  for (let i = 0; i < bytes.byteLength; i++) {
    const hi = VALUE[text.charCodeAt(2 * i)] ?? 255
    const lo = VALUE[text.charCodeAt(2 * i + 1)] ?? 255
    if (hi === 255 || lo === 255) throw notHex(text)
    bytes[i] = (hi << 4) | lo
  }
  if (length !== undefined && bytes.byteLength !== length) throw LumeError.invalidArgument(`expected ${length} bytes of hex, got ${bytes.byteLength}`)
  return bytes
}

function notHex (text: unknown): LumeError {
  const shown = typeof text === 'string' ? text : String(text)
  return LumeError.invalidArgument(`not a hex string: "${shown.slice(0, 20)}${shown.length > 20 ? '…' : ''}"`)
}
