/**
 * Every error code Lume uses, in one list. Codes are stable: they are part of
 * the wire protocol (remote errors carry them) and of the public API. Add new
 * codes at the end of their group; never rename or reuse one.
 */
export const ErrorCode = {
  // Caller and configuration faults
  /** An argument is out of range or of the wrong shape. */
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  /** Configuration failed validation; the message names the key and its source. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** A configuration file could not be read or parsed. */
  CONFIG_UNREADABLE: 'CONFIG_UNREADABLE',
  /** A mnemonic phrase is not valid BIP39 (unknown word or bad checksum). */
  INVALID_MNEMONIC: 'INVALID_MNEMONIC',
  /** A derivation path is malformed or asks for a non-hardened ed25519 child. */
  INVALID_DERIVATION_PATH: 'INVALID_DERIVATION_PATH',
  /** An optional peer dependency an entry point needs is not installed; the message names the package. */
  MISSING_DEPENDENCY: 'MISSING_DEPENDENCY',

  // Lifecycle
  /** The resource was closed; the operation cannot run. */
  CLOSED: 'CLOSED',
  /** The operation was cancelled by its AbortSignal. */
  ABORTED: 'ABORTED',
  /** The operation did not finish in time. */
  TIMEOUT: 'TIMEOUT',

  // Peer and wire faults
  /** A frame or message from a peer could not be decoded. */
  BAD_FRAME: 'BAD_FRAME',
  /** A signature did not verify. */
  BAD_SIGNATURE: 'BAD_SIGNATURE',
  /** A value exceeds a configured size limit. */
  TOO_LARGE: 'TOO_LARGE',
  /** A peer has too much work in flight or sends too fast. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** The relay as a whole is at a limit (not this caller): try later or elsewhere. */
  BUSY: 'BUSY',
  /** The caller is not allowed to do this (an operator-only operation). */
  FORBIDDEN: 'FORBIDDEN',
  /** A connection to a peer could not be made or was lost. */
  CONNECTION_FAILED: 'CONNECTION_FAILED',
  /** The peer did not prove the public key it was dialed by (an impostor, or a misconfigured endpoint). */
  HANDSHAKE_FAILED: 'HANDSHAKE_FAILED',
  /** No method with that name is registered. */
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  /** A name (method, plugin, protocol) is already taken. */
  ALREADY_REGISTERED: 'ALREADY_REGISTERED',
  /** A remote handler failed; the message is the remote's, never its stack. */
  REMOTE_ERROR: 'REMOTE_ERROR',
  /** A relay plugin failed to load or start. */
  PLUGIN_FAILED: 'PLUGIN_FAILED',

  // Data faults
  /** A content hash did not match. */
  HASH_MISMATCH: 'HASH_MISMATCH',
  /** Data ended before its declared length. */
  TRUNCATED: 'TRUNCATED',
  /** A write lost to a newer revision already stored. */
  STALE_REVISION: 'STALE_REVISION',
  /** Not enough independent relays agreed on an answer. */
  NO_QUORUM: 'NO_QUORUM',
  /** Nothing is stored or known under that key. */
  NOT_FOUND: 'NOT_FOUND',
  /** A store is at its configured capacity and takes no new keys. */
  STORE_FULL: 'STORE_FULL',
  /** A signed record is older than accepted (a replay of an old answer). */
  EXPIRED: 'EXPIRED',
  /** A key (or the relay as a whole) has used its storage quota: free some, or store elsewhere. */
  QUOTA_EXCEEDED: 'QUOTA_EXCEEDED',
  /** Encrypted data did not authenticate under the key given (a wrong key, or tampered ciphertext). */
  DECRYPTION_FAILED: 'DECRYPTION_FAILED'
} as const

/** One of the stable codes in {@link ErrorCode}. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

const marker: unique symbol = Symbol.for('@lume/types/LumeError')

/** Options for {@link LumeError}. */
export interface LumeErrorOptions {
  /** The lower-level error that caused this one. */
  cause?: unknown
  /** Structured detail for programs (e.g. the byte offset of a bad chunk). */
  details?: Record<string, unknown>
}

/**
 * The one error class of Lume. `code` is stable and machine-readable; the
 * message is for people and never repeats the code.
 *
 * @example
 * ```ts
 * try { await relay.call('x.y') } catch (err) {
 *   if (LumeError.isInstance(err) && err.code === ErrorCode.TIMEOUT) retry()
 * }
 * ```
 */
export class LumeError extends Error {
  /** The stable code, one of {@link ErrorCode}. */
  readonly code: ErrorCode
  /** Structured detail for programs; never secrets. */
  readonly details: Record<string, unknown>
  private readonly [marker] = true

  constructor (code: ErrorCode, message: string, options: LumeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'LumeError'
    this.code = code
    this.details = options.details ?? {}
  }

  /**
   * True for any LumeError, even one made by another copy of this package
   * (two versions in one bundle), where `instanceof` would say false.
   */
  static isInstance (value: unknown): value is LumeError {
    return typeof value === 'object' && value !== null && (value as LumeError)[marker] === true
  }

  /** True when `value` is a LumeError with the given code. */
  static hasCode (value: unknown, code: ErrorCode): value is LumeError {
    return LumeError.isInstance(value) && value.code === code
  }

  /** The form sent over the wire: code and message, never a stack. */
  toJSON (): { code: ErrorCode, message: string, details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details }
  }

  static invalidArgument (message: string, details?: Record<string, unknown>): LumeError {
    return new LumeError(ErrorCode.INVALID_ARGUMENT, message, { details })
  }

  static closed (what: string): LumeError {
    return new LumeError(ErrorCode.CLOSED, `${what} is closed`)
  }

  static timeout (what: string, ms: number): LumeError {
    return new LumeError(ErrorCode.TIMEOUT, `${what} timed out after ${ms} ms`, { details: { ms } })
  }

  static aborted (what: string, cause?: unknown): LumeError {
    return new LumeError(ErrorCode.ABORTED, `${what} was aborted`, { cause })
  }

  static badFrame (message: string, cause?: unknown): LumeError {
    return new LumeError(ErrorCode.BAD_FRAME, message, { cause })
  }

  static badSignature (what: string): LumeError {
    return new LumeError(ErrorCode.BAD_SIGNATURE, `${what}: signature does not verify`)
  }

  static tooLarge (what: string, size: number, limit: number): LumeError {
    return new LumeError(ErrorCode.TOO_LARGE, `${what} is ${size} bytes, over the limit of ${limit}`, { details: { size, limit } })
  }
}
