import { ErrorCode, fromHex, LumeError, toHex } from '@lume/types'
import { KEY_BYTES } from './encryption.js'

/** A blob to read: its hash, and for an encrypted blob the key that opens it. */
export interface ReadCapability {
  hash: Uint8Array
  /** The blob's key; absent for a public blob. */
  key?: Uint8Array
}

const PREFIX = 'lume://blob/'

/**
 * A share link for a blob: `lume://blob/<hash hex>`, and `#key=<key hex>`
 * for an encrypted one. Whoever holds the link can read the blob (the key is
 * in the fragment, which browsers never send to a server).
 */
export function encodeLink (capability: ReadCapability): string {
  return `${PREFIX}${toHex(capability.hash)}${capability.key === undefined ? '' : `#key=${toHex(capability.key)}`}`
}

/** Parse a share link; `INVALID_ARGUMENT` when it is not one. */
export function decodeLink (link: string): ReadCapability {
  const match = /^lume:\/\/blob\/([0-9a-f]{64})(?:#key=([0-9a-f]{64}))?$/.exec(link.trim())
  if (match === null) throw new LumeError(ErrorCode.INVALID_ARGUMENT, 'not a lume://blob/ link')
  const hash = fromHex(match[1] as string, 32)
  return match[2] === undefined ? { hash } : { hash, key: fromHex(match[2], KEY_BYTES) }
}
