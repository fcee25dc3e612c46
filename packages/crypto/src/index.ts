/**
 * @packageDocumentation
 * Lume's keys and signatures: ed25519 key pairs from BIP39 mnemonics
 * (SLIP-0010 at `m/44'/1627'/0'/0'/0'`), per-purpose child keys,
 * domain-separated signing, SHA-256, random bytes and Noise's DH over ed25519
 * keys. libsodium (`sodium-native`) in Node, `@noble/curves` in browsers,
 * chosen by the package's `#ed25519` import condition; both accept exactly the
 * same signatures.
 *
 * @example
 * ```ts
 * import { generateMnemonic, keyPairFromMnemonic, sign, verify } from '@lume/crypto'
 * import { SigningContext } from '@lume/types'
 *
 * const keys = keyPairFromMnemonic(generateMnemonic())
 * const sig = sign(SigningContext.PEER_RECORD, new Uint8Array([1, 2, 3]), keys.secretKey)
 * verify(SigningContext.PEER_RECORD, new Uint8Array([1, 2, 3]), sig, keys.publicKey) // true
 * ```
 */
export * from './lib/ed25519.js'
export * from './lib/keys.js'
export * from './lib/signing.js'
export * from './lib/slip10.js'
export * from './lib/mnemonic.js'
