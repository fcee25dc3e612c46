/**
 * @packageDocumentation
 * Lume's shared vocabulary: the {@link LumeError} type and its stable codes,
 * ed25519 keys from BIP39 mnemonics, domain-separated signatures, the relay
 * plugin interfaces, wire codecs and protocol constants. No I/O.
 *
 * @example
 * ```ts
 * import { generateMnemonic, keyPairFromMnemonic, sign, verify, SigningContext } from '@lume/types'
 *
 * const keys = keyPairFromMnemonic(generateMnemonic())
 * const sig = sign(SigningContext.PEER_RECORD, new Uint8Array([1, 2, 3]), keys.secretKey)
 * verify(SigningContext.PEER_RECORD, new Uint8Array([1, 2, 3]), sig, keys.publicKey) // true
 * ```
 */
export * from './lib/errors.js'
export * from './lib/ed25519.js'
export * from './lib/keys.js'
export * from './lib/assert.js'
export * from './lib/hex.js'
export * from './lib/bytes.js'
export * from './lib/signing.js'
export * from './lib/slip10.js'
export * from './lib/mnemonic.js'
export * from './lib/constants.js'
export * from './lib/codec.js'
export * from './lib/codecs.js'
export * from './lib/logger.js'
export * from './lib/events.js'
export * from './lib/lifecycle.js'
export * from './lib/budget.js'
export * from './lib/token-bucket.js'
export * from './lib/plugin.js'
