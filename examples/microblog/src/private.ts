import { hash as blake3 } from '@lume/bao-stream'
import { KEY_BYTES, openGroup, sealGroup } from '@lume/blobs'
import { fromHex, LumeError, toHex } from '@lume/types'
import { noiseDh, randomBytes, type KeyPair } from '@lume/crypto'

/** Most readers one private post is sealed to (each adds ~150 bytes to the post). */
export const MAX_AUDIENCE = 256

const SEAL_CONTEXT = new TextEncoder().encode('lume/microblog/seal/v1')
const HASH = /^[0-9a-f]{64}$/
const SALT = /^[0-9a-f]{32}$/
// A sealed blob key: the key and its Poly1305 tag.
const SEALED = /^[0-9a-f]{96}$/

/**
 * A private post's envelope: its body is an encrypted blob (`hash`), and the
 * read capability's key is sealed to each reader's public key. Relays and
 * everyone else see only who may read it.
 */
export interface PrivateEnvelope {
  /** The encrypted body's hash (BLAKE3 of the ciphertext). */
  hash: string
  /** Random per post: every (post, reader) pair gets its own wrapping key. */
  salt: string
  /** Reader's public key (hex) → the body's key sealed to them (hex). */
  keys: Record<string, string>
}

/** Seal `key` (the body's) to each reader: `author`'s and their key agree on a wrapping key only the two can make. */
export function sealKey (key: Uint8Array, author: KeyPair, readers: readonly string[], hash: string): PrivateEnvelope {
  if (key.byteLength !== KEY_BYTES) throw LumeError.invalidArgument(`a blob key is ${KEY_BYTES} bytes`)
  const unique = [...new Set(readers.map((r) => r.toLowerCase()))]
  if (unique.length > MAX_AUDIENCE) throw LumeError.invalidArgument(`a private post can be sealed to at most ${MAX_AUDIENCE} readers`)
  const salt = randomBytes(16)
  const keys: Record<string, string> = {}
  for (const reader of unique) keys[reader] = toHex(sealGroup(wrappingKey(author.secretKey, fromHex(reader, 32), salt, toHex(author.publicKey), reader), 0, true, key))
  return { hash, salt: toHex(salt), keys }
}

/** The body's key, if `reader` is among the envelope's readers; null if not. `DECRYPTION_FAILED` for a seal that does not open. */
export function openKey (envelope: PrivateEnvelope, reader: KeyPair, author: string): Uint8Array | null {
  const me = toHex(reader.publicKey)
  const sealed = envelope.keys[me]
  if (sealed === undefined) return null
  return openGroup(wrappingKey(reader.secretKey, fromHex(author, 32), fromHex(envelope.salt, 16), author, me), 0, true, fromHex(sealed))
}

/** An envelope read from a post, its shape checked (it came from the network). */
export function checkEnvelope (value: unknown): PrivateEnvelope {
  const { hash, salt, keys } = (value ?? {}) as Partial<PrivateEnvelope>
  if (typeof hash !== 'string' || !HASH.test(hash) || typeof salt !== 'string' || !SALT.test(salt) || typeof keys !== 'object' || keys === null) throw LumeError.badFrame('not a private post envelope')
  const entries = Object.entries(keys)
  if (entries.length > MAX_AUDIENCE) throw LumeError.badFrame(`a private post sealed to more than ${MAX_AUDIENCE} readers`)
  for (const [reader, sealed] of entries) {
    if (!HASH.test(reader) || typeof sealed !== 'string' || !SEALED.test(sealed)) throw LumeError.badFrame('a private post envelope names a reader badly')
  }
  return { hash, salt, keys: Object.fromEntries(entries) as Record<string, string> }
}

/** The key sealing a post's body key for one (author, reader) pair: their Diffie-Hellman secret, bound to both keys and the post's salt. */
function wrappingKey (ownSecret: Uint8Array, otherPublic: Uint8Array, salt: Uint8Array, author: string, reader: string): Uint8Array {
  const shared = noiseDh(otherPublic, ownSecret)
  const names = new TextEncoder().encode(author + reader)
  const input = new Uint8Array(SEAL_CONTEXT.byteLength + shared.byteLength + salt.byteLength + names.byteLength)
  let at = 0
  for (const part of [SEAL_CONTEXT, shared, salt, names]) { input.set(part, at); at += part.byteLength }
  return blake3(input)
}
