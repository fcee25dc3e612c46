import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import { sha512 } from '@noble/hashes/sha2.js'
import { concatBytes } from '@noble/hashes/utils.js'
import { backend as sodium } from '../src/lib/ed25519-sodium.js'
import { backend as noble } from '../src/lib/ed25519-noble.js'
import { generateKeyPair } from '../src/index.js'
import { webCryptoVerify } from '../src/lib/ed25519-webcrypto.js'
import { hex, mutatedSignature, NON_CANONICAL, ruleCases, SMALL_ORDER } from './helpers/rule-cases.js'

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
    fc.assert(fc.property(mutatedSignature, ({ good, mutated }) => {
      expect(agree(...good)).toBe(true)
      agree(...mutated)
    }), { numRuns: runs })
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

describe('mixed-order points: one verification equation in every backend', () => {
  // Crafted, not random: a point of order 8 added to R or to the key keeps
  // the cofactored equation ([8][S]B = [8]R + [8][k]A) true and breaks the
  // cofactorless one ([S]B − [k]A = R, libsodium's, WebCrypto engines'). Random
  // mutations never produce these, so the property tests above cannot see them.
  const { Point } = ed25519
  const L = Point.Fn.ORDER
  const le = (bytes: Uint8Array): bigint => { let n = 0n; for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!); return n }
  const toLe32 = (n: bigint): Uint8Array => { const out = new Uint8Array(32); for (let i = 0; i < 32; i++) { out[i] = Number(n & 0xffn); n >>= 8n } return out }
  const challenge = (r: Uint8Array, a: Uint8Array, m: Uint8Array): bigint => le(sha512(concatBytes(r, a, m))) % L
  // A point of order exactly 8 from the small-order table.
  const torsion = SMALL_ORDER.map((p) => Point.fromBytes(p, false)).find((p) => !p.multiplyUnsafe(4n).is0())!

  const signWith = (scalar: bigint, publicKey: Uint8Array, message: Uint8Array, rAdd: typeof torsion | null): Uint8Array => {
    const r = le(sha512(concatBytes(toLe32(scalar), message))) % L
    let R = Point.BASE.multiply(r)
    if (rAdd !== null) R = R.add(rAdd)
    const rBytes = R.toBytes()
    const s = (r + challenge(rBytes, publicKey, message) * scalar) % L
    return concatBytes(rBytes, toLe32(s))
  }

  it('R with a torsion part: refused by libsodium and the noble backend alike', () => {
    for (let i = 0; i < 16; i++) {
      const seed = new Uint8Array(32).fill(i + 1)
      const { scalar, pointBytes } = ed25519.utils.getExtendedPublicKey(seed)
      const message = new TextEncoder().encode(`mixed R ${i}`)
      const honest = signWith(scalar, pointBytes, message, null)
      expect(agree(honest, message, pointBytes)).toBe(true)
      const mixed = signWith(scalar, pointBytes, message, torsion)
      // The cofactored equation holds for it (what ZIP-215-style verifiers check)...
      expect(ed25519.verify(mixed, message, pointBytes, { zip215: true })).toBe(true)
      // ...the cofactorless one does not, and both backends say so.
      expect(agree(mixed, message, pointBytes)).toBe(false)
    }
  })

  it('a key with a torsion part: both backends agree on every signature, accepted only when the equation holds without the cofactor', () => {
    let accepted = 0
    let refused = 0
    for (let i = 0; i < 48; i++) {
      const seed = new Uint8Array(32).fill(200 - i)
      const { scalar, point } = ed25519.utils.getExtendedPublicKey(seed)
      const mixedKey = point.add(torsion).toBytes()
      const message = new TextEncoder().encode(`mixed key ${i}`)
      const signature = signWith(scalar, mixedKey, message, null)
      if (agree(signature, message, mixedKey)) accepted++
      else refused++
    }
    // k·T vanishes only when k ≡ 0 (mod 8): most are refused, and the test saw both outcomes' agreement.
    expect(refused).toBeGreaterThan(0)
    expect(accepted + refused).toBe(48)
  })
})
