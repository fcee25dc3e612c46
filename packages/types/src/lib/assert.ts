import { LumeError } from './errors.js'

/**
 * Throws INVALID_ARGUMENT unless `value` is an integer in `0..max` (a safe
 * integer by default). Encoders call it so a bad argument fails loudly
 * instead of wrapping (a byte of 256 written as 0, −1 as 2^64 − 1).
 */
export function assertUint (name: string, value: number, max: number = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw LumeError.invalidArgument(`${name} must be an integer in 0..${max}, got ${String(value)}`, { name })
  }
}

/** Throws INVALID_ARGUMENT unless `value` is a Uint8Array of exactly `length` bytes. */
export function assertLength (name: string, value: Uint8Array, length: number): void {
  if (!(value instanceof Uint8Array) || value.byteLength !== length) {
    const got = value instanceof Uint8Array ? `${value.byteLength} bytes` : typeof value
    throw LumeError.invalidArgument(`${name} must be ${length} bytes, got ${got}`)
  }
}
