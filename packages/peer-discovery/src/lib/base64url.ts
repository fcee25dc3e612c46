import { base64urlnopad } from '@scure/base'
import { LumeError } from '@lume/types'

/** Bytes as unpadded base64url (URL- and IRC-safe). */
export function toBase64url (bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes)
}

/** Bytes from unpadded base64url; INVALID_ARGUMENT for anything else. */
export function fromBase64url (text: string): Uint8Array {
  try {
    return base64urlnopad.decode(text)
  } catch {
    throw LumeError.invalidArgument('not base64url')
  }
}
