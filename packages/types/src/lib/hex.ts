import { LumeError } from './errors.js'

const DIGITS = '0123456789abcdef'

/** Lower-case hex of `bytes`. */
export function toHex (bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += DIGITS[b >> 4]! + DIGITS[b & 15]!
  return out
}

/** Bytes of a hex string; INVALID_ARGUMENT for odd length or non-hex characters (and for a wrong length when `length` is given). */
export function fromHex (text: string, length?: number): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) {
    const shown = String(text)
    throw LumeError.invalidArgument(`not a hex string: "${shown.slice(0, 20)}${shown.length > 20 ? '…' : ''}"`)
  }
  const bytes = new Uint8Array(text.length / 2)
  for (let i = 0; i < bytes.byteLength; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16)
  if (length !== undefined && bytes.byteLength !== length) throw LumeError.invalidArgument(`expected ${length} bytes of hex, got ${bytes.byteLength}`)
  return bytes
}
