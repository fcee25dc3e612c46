import { backend } from '#ed25519'
import { ED25519 } from './ed25519.js'
import { assertLength, LumeError } from '@lume/types'

const encoder = new TextEncoder()
const MAX_CONTEXT_BYTES = 255

/**
 * The bytes actually signed for `message` under `context`:
 * `len(context) (u8) ‖ context (UTF-8) ‖ message`. The length prefix keeps
 * context and message apart, so no (context, message) pair can pose as another.
 */
export function signedBytes (context: string, message: Uint8Array): Uint8Array {
  const ctx = encodeContext(context)
  const out = new Uint8Array(1 + ctx.byteLength + message.byteLength)
  out[0] = ctx.byteLength
  out.set(ctx, 1)
  out.set(message, 1 + ctx.byteLength)
  return out
}

/**
 * Sign `message` for one purpose only. A signature made under one context
 * never verifies under another, so it cannot be replayed as something else.
 * Contexts are versioned constants such as {@link @lume/types!SigningContext | SigningContext.RPC_RESPONSE}.
 */
export function sign (context: string, message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertLength('secretKey', secretKey, ED25519.SECRET_KEY_BYTES)
  return backend.sign(signedBytes(context, message), secretKey)
}

/** True when `signature` is `publicKey`'s signature of `message` under `context`. Never throws on malformed input. */
export function verify (context: string, message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array) || !(message instanceof Uint8Array)) return false
  return backend.verify(signature, signedBytes(context, message), publicKey)
}

/**
 * {@link verify} for callers that can wait: the same rule, but browsers check
 * through WebCrypto's native Ed25519 where they have it (~100x noble's speed).
 * Never rejects on malformed input.
 */
export async function verifyAsync (context: string, message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): Promise<boolean> {
  if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array) || !(message instanceof Uint8Array)) return false
  return await backend.verifyAsync(signature, signedBytes(context, message), publicKey)
}

/** Sign raw bytes with no context: only for formats fixed by others (the S5 registry entry). */
export function signRaw (message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  assertLength('secretKey', secretKey, ED25519.SECRET_KEY_BYTES)
  return backend.sign(message, secretKey)
}

/** Verify raw bytes with no context: only for formats fixed by others. */
export function verifyRaw (message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  return backend.verify(signature, message, publicKey)
}

function encodeContext (context: string): Uint8Array {
  const bytes = encoder.encode(context)
  if (bytes.byteLength === 0 || bytes.byteLength > MAX_CONTEXT_BYTES) {
    throw LumeError.invalidArgument(`signing context must be 1..${MAX_CONTEXT_BYTES} bytes, got ${bytes.byteLength}`)
  }
  return bytes
}
