import fc from 'fast-check'
import { backend as sodium } from '../../src/lib/ed25519-sodium.js'
import { generateKeyPair, keyPairFromSeed } from '../../src/index.js'

/** Bytes from hex. */
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'))

// The eight points of small order, canonically encoded (the 8-torsion subgroup).
export const SMALL_ORDER = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa'
].map(hex)

// Non-canonical encodings: y ≥ p (p = 2^255 − 19), with either sign bit.
export const NON_CANONICAL = [
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
].map(hex)

/** Signatures on either side of every edge of the rule, as [signature, message, publicKey]. */
export function ruleCases (random: number): Array<[Uint8Array, Uint8Array, Uint8Array]> {
  const keys = generateKeyPair()
  const message = new TextEncoder().encode('hello')
  const good = sodium.sign(message, keys.secretKey)
  const cases: Array<[Uint8Array, Uint8Array, Uint8Array]> = [[good, message, keys.publicKey]]
  for (const point of [...SMALL_ORDER, ...NON_CANONICAL]) {
    for (const s of [new Uint8Array(32), good.subarray(32)]) {
      const withR = new Uint8Array(64)
      withR.set(point, 0)
      withR.set(s, 32)
      cases.push([withR, message, keys.publicKey])
      const zeroR = new Uint8Array(64)
      zeroR.set(SMALL_ORDER[0]!, 0)
      zeroR.set(s, 32)
      cases.push([zeroR, message, point], [good, message, point])
    }
  }
  const sPlusL = new Uint8Array(good)
  const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')
  let carry = 0
  for (let i = 0; i < 32; i++) {
    const v = sPlusL[32 + i]! + L[i]! + carry
    sPlusL[32 + i] = v & 0xff
    carry = v >> 8
  }
  cases.push([sPlusL, message, keys.publicKey])
  // Random keys and messages, one byte of signature or key changed (or a bad point planted).
  fc.assert(fc.property(mutatedSignature, ({ good, mutated }) => { cases.push(good, mutated) }), { numRuns: random })
  return cases
}

/** A signature case: signature, message, public key. */
export type SignatureCase = [Uint8Array, Uint8Array, Uint8Array]

/**
 * A random key and message with its good signature (libsodium's), and a copy
 * with one byte of the signature or key changed, or a small-order or
 * non-canonical point planted as R or as the key.
 */
export const mutatedSignature = fc.tuple(
  fc.uint8Array({ minLength: 32, maxLength: 32 }),
  fc.uint8Array({ maxLength: 64 }),
  fc.nat(64 + 32 - 1),
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(...SMALL_ORDER, ...NON_CANONICAL, null)
).map(([seed, message, at, value, planted]) => {
  const keys = keyPairFromSeed(seed)
  const signature = sodium.sign(message, keys.secretKey)
  const bytes = new Uint8Array([...signature, ...keys.publicKey])
  bytes[at] = value
  if (planted !== null) bytes.set(planted, at < 64 ? 0 : 64)
  const good: SignatureCase = [signature, message, keys.publicKey]
  const mutated: SignatureCase = [bytes.slice(0, 64), message, bytes.slice(64)]
  return { good, mutated }
})
