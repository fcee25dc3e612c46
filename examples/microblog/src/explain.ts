import { ErrorCode, LumeError } from '@lume/types'

/**
 * A sentence a person can act on, for any error the microblog meets: what
 * happened, in words, never a bare code or "undefined". `doing` says what
 * was being attempted ("Posting", "Loading the timeline").
 */
export function explain (err: unknown, doing: string): string {
  const code = LumeError.isInstance(err) ? err.code : null
  switch (code) {
    case ErrorCode.CONNECTION_FAILED:
    case ErrorCode.CLOSED:
    case ErrorCode.TIMEOUT:
      return `${doing} failed: none of your relays could be reached. They may be down, or not reachable from this network; check their addresses, or try again in a moment.`
    case ErrorCode.HANDSHAKE_FAILED:
      return `${doing} failed: a relay did not prove it holds the key you gave for it, so it was not trusted. Check the relay's key and address.`
    case ErrorCode.RATE_LIMITED:
      return `${doing} failed: the relays say you are over your limit (too much stored, or too fast). Wait a little before trying again.`
    case ErrorCode.QUOTA_EXCEEDED:
      return `${doing} failed: you have used all the space the relays give your key.`
    case ErrorCode.DECRYPTION_FAILED:
      return `${doing} failed: a private post did not open with the key it was shared with.`
    case ErrorCode.BUSY:
      return `${doing} failed: the relays are full or busy right now. Try again later.`
    case ErrorCode.TOO_LARGE:
      return `${doing} failed: that is larger than the relays accept.`
    case ErrorCode.NOT_FOUND:
      return `${doing} failed: no relay has it (it may not have reached them yet).`
    case ErrorCode.BAD_SIGNATURE:
    case ErrorCode.BAD_FRAME:
    case ErrorCode.HASH_MISMATCH:
    case ErrorCode.TRUNCATED:
      return `${doing} failed: what a relay sent did not verify, so it was not shown.`
    case ErrorCode.INVALID_MNEMONIC:
      return `${doing} failed: those words are not a valid recovery phrase. Check each word and their order.`
    case ErrorCode.INVALID_ARGUMENT:
      return `${doing} failed: ${(err as LumeError).message}.`
    default: {
      const message = err instanceof Error && err.message !== '' ? err.message : 'an unexpected error'
      return `${doing} failed: ${message}.`
    }
  }
}
