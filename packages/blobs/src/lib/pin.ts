import { hash as blake3 } from '@lume/bao-stream'
import { sign, verify } from '@lume/crypto'
import { HOLDER_CONTEXT, PIN_CONTEXT, UNPIN_CONTEXT } from './constants.js'

/** The bytes an owner signs to pin `hash` (`size` bytes) on the relay `relay`. */
export function pinMessage (relay: Uint8Array, hash: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(32 + 32 + 8)
  out.set(relay, 0)
  out.set(hash, 32)
  new DataView(out.buffer).setBigUint64(64, BigInt(size), true)
  return out
}

/** The owner's signature pinning `hash` on `relay` (bound to that relay, so it cannot be replayed at another). */
export function signPin (secretKey: Uint8Array, relay: Uint8Array, hash: Uint8Array, size: number): Uint8Array {
  return sign(PIN_CONTEXT, pinMessage(relay, hash, size), secretKey)
}

/** True when `signature` is `owner`'s pin of `hash` on `relay`. */
export function verifyPin (owner: Uint8Array, relay: Uint8Array, hash: Uint8Array, size: number, signature: Uint8Array): boolean {
  return verify(PIN_CONTEXT, pinMessage(relay, hash, size), signature, owner)
}

/** The owner's signature dropping its pin of `hash` on `relay`. */
export function signUnpin (secretKey: Uint8Array, relay: Uint8Array, hash: Uint8Array, size: number): Uint8Array {
  return sign(UNPIN_CONTEXT, pinMessage(relay, hash, size), secretKey)
}

/** True when `signature` is `owner`'s unpin of `hash` on `relay`. */
export function verifyUnpin (owner: Uint8Array, relay: Uint8Array, hash: Uint8Array, size: number, signature: Uint8Array): boolean {
  return verify(UNPIN_CONTEXT, pinMessage(relay, hash, size), signature, owner)
}

const encoder = new TextEncoder()

/** The key a blob's holders are announced under in the cache directory. */
export function holderKey (hash: Uint8Array): Uint8Array {
  const context = encoder.encode(HOLDER_CONTEXT)
  const input = new Uint8Array(context.byteLength + hash.byteLength)
  input.set(context)
  input.set(hash, context.byteLength)
  return blake3(input)
}
