import * as bip39 from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { ErrorCode, LUME_DERIVATION_PATH, LumeError } from '@lume/types'
import { keyPairFromSeed, type KeyPair } from './keys.js'
import { slip10Derive } from './slip10.js'

/** A new 24-word English BIP39 mnemonic (256 bits of entropy). */
export function generateMnemonic (words: 12 | 24 = 24): string {
  return bip39.generateMnemonic(wordlist, words === 12 ? 128 : 256)
}

/** True when `mnemonic` is a valid English BIP39 phrase (words and checksum). */
export function isValidMnemonic (mnemonic: string): boolean {
  return bip39.validateMnemonic(normalize(mnemonic), wordlist)
}

/** The 64-byte BIP39 seed of a mnemonic (PBKDF2-SHA512, 2048 rounds). */
export function mnemonicToSeed (mnemonic: string, passphrase = ''): Uint8Array {
  const phrase = normalize(mnemonic)
  if (!bip39.validateMnemonic(phrase, wordlist)) {
    throw new LumeError(ErrorCode.INVALID_MNEMONIC, 'mnemonic is not a valid English BIP39 phrase (unknown word or bad checksum)')
  }
  return bip39.mnemonicToSeedSync(phrase, passphrase)
}

/** Options for {@link keyPairFromMnemonic}. */
export interface MnemonicKeyOptions {
  /** BIP39 passphrase ("25th word"). @default '' */
  passphrase?: string
  /** SLIP-0010 path; every step hardened. @default "m/44'/1627'/0'/0'/0'" */
  path?: string
}

/** The identity key pair of a mnemonic: SLIP-0010 ed25519 at `m/44'/1627'/0'/0'/0'`. */
export function keyPairFromMnemonic (mnemonic: string, options: MnemonicKeyOptions = {}): KeyPair {
  const seed = mnemonicToSeed(mnemonic, options.passphrase)
  return keyPairFromSeed(slip10Derive(seed, options.path ?? LUME_DERIVATION_PATH).privateKey)
}

/**
 * A child key pair for one app or purpose, derived from a parent key pair:
 * seed = SHA-256(`lume/child-key/v1` ‖ 0x00 ‖ parent seed ‖ purpose). The
 * same parent and purpose always give the same key; different purposes give
 * unrelated keys, and a child reveals nothing about its parent.
 */
export function deriveChildKeyPair (parent: KeyPair, purpose: string): KeyPair {
  if (purpose.length === 0) throw LumeError.invalidArgument('purpose must not be empty')
  const tag = new TextEncoder().encode('lume/child-key/v1\0')
  const name = new TextEncoder().encode(purpose)
  const input = new Uint8Array(tag.byteLength + 32 + name.byteLength)
  input.set(tag, 0)
  input.set(parent.secretKey.subarray(0, 32), tag.byteLength)
  input.set(name, tag.byteLength + 32)
  return keyPairFromSeed(sha256(input))
}

function normalize (mnemonic: string): string {
  return mnemonic.normalize('NFKD').trim().toLowerCase().split(/\s+/).join(' ')
}
