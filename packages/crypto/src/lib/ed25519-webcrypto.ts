import { BoundedMap, toHex } from '@lume/types'

// WebCrypto's Ed25519 (native in Chromium, Firefox, Safari and Node) verifies
// ~100x faster than noble's JavaScript. It is only an engine: the caller
// checks Lume's signature rule (canonical encodings, S < L, no small-order key
// or R) first, because engines differ on those edge cases.

/** Imported keys, by hex: a page talks to a handful of relays. */
const keys = new BoundedMap<string, Promise<CryptoKey>>(64)
let available: boolean | undefined

/**
 * Verify with WebCrypto's Ed25519; `undefined` when this platform has none
 * (or refuses this key), so the caller falls back to JavaScript.
 */
export async function webCryptoVerify (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): Promise<boolean | undefined> {
  const subtle = globalThis.crypto?.subtle
  if (available === false || subtle === undefined) return undefined
  const id = toHex(publicKey)
  let key = keys.get(id)
  if (key === undefined) {
    key = subtle.importKey('raw', new Uint8Array(publicKey), { name: 'Ed25519' }, false, ['verify'])
    keys.set(id, key)
  }
  try {
    const ok = await subtle.verify({ name: 'Ed25519' }, await key, new Uint8Array(signature), new Uint8Array(message))
    available = true
    return ok
  } catch (err) {
    keys.delete(id)
    // No Ed25519 here at all: stop trying. Anything else: JavaScript decides this one.
    if ((err as { name?: unknown }).name === 'NotSupportedError' && available === undefined) available = false
    return undefined
  }
}
