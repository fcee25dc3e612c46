import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js'
import { LumeError } from './errors.js'

/** Lower-case hex of `bytes`. */
export function toHex (bytes: Uint8Array): string {
  return bytesToHex(bytes)
}

/** Bytes of a hex string; INVALID_ARGUMENT for odd length or non-hex characters (and for a wrong length when `length` is given). */
export function fromHex (text: string, length?: number): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = hexToBytes(text)
  } catch {
    throw LumeError.invalidArgument(`not a hex string: "${text.slice(0, 20)}${text.length > 20 ? '…' : ''}"`)
  }
  if (length !== undefined && bytes.byteLength !== length) throw LumeError.invalidArgument(`expected ${length} bytes of hex, got ${bytes.byteLength}`)
  return bytes
}
