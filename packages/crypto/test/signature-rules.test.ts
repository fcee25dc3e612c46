import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import { backend as sodium } from '../src/lib/ed25519-sodium.js'
import { backend as noble } from '../src/lib/ed25519-noble.js'
import { generateKeyPair, keyPairFromSeed } from '../src/index.js'
import { webCryptoVerify } from '../src/lib/ed25519-webcrypto.js'
import { hex, NON_CANONICAL, ruleCases, SMALL_ORDER } from './helpers/rule-cases.js'

const runs = Number(process.env.LUME_FUZZ_RUNS ?? 2000)
const agree = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean => {
  const a = sodium.verify(signature, message, publicKey)
  const b = noble.verify(signature, message, publicKey)
  expect(b, `noble and libsodium disagree on ${Buffer.from(publicKey).toString('hex')} / ${Buffer.from(signature).toString('hex')}`).toBe(a)
  return a
}

describe('one signature rule in both ed25519 backends', () => {
  it('the small-order table is what it says', () => {
    for (const p of SMALL_ORDER) expect(ed25519.Point.fromBytes(p, false).isSmallOrder()).toBe(true)
  })

  it('the identity key with an all-zero S "signs" nothing in either backend', () => {
    const signature = new Uint8Array(64)
    signature.set(SMALL_ORDER[0]!, 0) // R = identity, S = 0
    for (const message of [new Uint8Array(0), new TextEncoder().encode('any message')]) {
      expect(agree(signature, message, SMALL_ORDER[0]!)).toBe(false)
    }
  })

  it('refuses every small-order key and R, and non-canonical encodings, in both', () => {
    const keys = generateKeyPair()
    const message = new TextEncoder().encode('hello')
    const good = sodium.sign(message, keys.secretKey)
    expect(agree(good, message, keys.publicKey)).toBe(true)
    for (const point of [...SMALL_ORDER, ...NON_CANONICAL]) {
      for (const s of [new Uint8Array(32), good.subarray(32)]) {
        const withR = new Uint8Array(64)
        withR.set(point, 0)
        withR.set(s, 32)
        expect(agree(withR, message, keys.publicKey)).toBe(false)
        const zeroR = new Uint8Array(64)
        zeroR.set(SMALL_ORDER[0]!, 0)
        zeroR.set(s, 32)
        expect(agree(zeroR, message, point)).toBe(false)
        expect(agree(good, message, point)).toBe(false)
      }
    }
    // S not reduced below the group order L: S + L is refused by both.
    const sPlusL = new Uint8Array(good)
    let carry = 0
    const L = hex('edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010')
    for (let i = 0; i < 32; i++) {
      const v = sPlusL[32 + i]! + L[i]! + carry
      sPlusL[32 + i] = v & 0xff
      carry = v >> 8
    }
    expect(agree(sPlusL, message, keys.publicKey)).toBe(false)
  })

  it('agree on random keys, messages and signatures, mutated anywhere', () => {
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ maxLength: 64 }),
      fc.nat(64 + 32 - 1),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom(...SMALL_ORDER, ...NON_CANONICAL, null),
      (seed, message, at, value, planted) => {
        const keys = keyPairFromSeed(seed)
        const signature = sodium.sign(message, keys.secretKey)
        expect(agree(signature, message, keys.publicKey)).toBe(true)
        const bytes = new Uint8Array([...signature, ...keys.publicKey])
        bytes[at] = value
        if (planted !== null) bytes.set(planted, at < 64 ? 0 : 64)
        agree(bytes.subarray(0, 64), message, bytes.subarray(64))
      }
    ), { numRuns: runs })
  })
})

describe('the async path (WebCrypto behind the rule) keeps the one rule', () => {
  it('WebCrypto Ed25519 is there and used (Node has it too)', async () => {
    const [signature, message, publicKey] = ruleCases(0)[0]!
    expect(await webCryptoVerify(signature, message, publicKey)).toBe(true)
  })

  it('agrees with libsodium on every edge of the rule and on random mutations', async () => {
    for (const [signature, message, publicKey] of ruleCases(Math.min(runs, 500))) {
      expect(await noble.verifyAsync(signature, message, publicKey), `${Buffer.from(publicKey).toString('hex')} / ${Buffer.from(signature).toString('hex')}`).toBe(sodium.verify(signature, message, publicKey))
      expect(await sodium.verifyAsync(signature, message, publicKey)).toBe(sodium.verify(signature, message, publicKey))
    }
  })
})
