import { describe, expect, it } from 'vitest'
import { backend as sodium } from '../src/lib/ed25519-sodium.js'
import { backend as noble } from '../src/lib/ed25519-noble.js'
import { SigningContext } from '@lume/types'
import { ed25519BackendName, generateKeyPair, noiseDh, sign, signedBytes, verify, randomBytes } from '../src/index.js'

describe('ed25519 backends', () => {
  it('uses libsodium in Node', () => {
    expect(ed25519BackendName).toBe('sodium-native')
  })

  it('derive the same keys and identical signatures, and verify each other', () => {
    for (let i = 0; i < 50; i++) {
      const seed = randomBytes(32)
      const message = randomBytes(i * 7)
      const a = sodium.keyPairFromSeed(seed)
      const b = noble.keyPairFromSeed(seed)
      expect(Buffer.from(b.publicKey).equals(Buffer.from(a.publicKey))).toBe(true)
      expect(Buffer.from(b.secretKey).equals(Buffer.from(a.secretKey))).toBe(true)
      const sigA = sodium.sign(message, a.secretKey)
      const sigB = noble.sign(message, b.secretKey)
      expect(Buffer.from(sigA).equals(Buffer.from(sigB))).toBe(true)
      expect(noble.verify(sigA, message, a.publicKey)).toBe(true)
      expect(sodium.verify(sigB, message, b.publicKey)).toBe(true)
    }
  })

  it('both reject a flipped bit and malformed input without throwing', () => {
    const keys = generateKeyPair()
    const message = new Uint8Array([1, 2, 3])
    const sig = sodium.sign(message, keys.secretKey)
    const bad = Uint8Array.from(sig)
    bad[10]! ^= 1
    for (const b of [sodium, noble]) {
      expect(b.verify(bad, message, keys.publicKey), b.name).toBe(false)
      expect(b.verify(sig.subarray(0, 63), message, keys.publicKey), b.name).toBe(false)
      expect(b.verify(sig, message, keys.publicKey.subarray(1)), b.name).toBe(false)
      expect(b.verify(sig, message, new Uint8Array(32).fill(0xff)), b.name).toBe(false)
    }
  })
})

describe('Noise Diffie-Hellman over ed25519 keys', () => {
  it('both backends agree, and both sides of a pair get the same secret', () => {
    for (let i = 0; i < 30; i++) {
      const a = generateKeyPair()
      const b = generateKeyPair()
      const viaSodium = sodium.dh(b.publicKey, a.secretKey)
      expect(Buffer.from(noble.dh(b.publicKey, a.secretKey))).toEqual(Buffer.from(viaSodium))
      expect(Buffer.from(sodium.dh(a.publicKey, b.secretKey))).toEqual(Buffer.from(viaSodium))
      expect(Buffer.from(noiseDh(a.publicKey, b.secretKey))).toEqual(Buffer.from(viaSodium))
    }
  })

  it('both backends refuse small-order and non-canonical points', () => {
    const keys = generateKeyPair()
    const identity = new Uint8Array(32)
    identity[0] = 1
    const nonCanonical = new Uint8Array(32).fill(0xff)
    nonCanonical[31] = 0x7f
    for (const bad of [identity, new Uint8Array(32), nonCanonical]) {
      expect(() => sodium.dh(bad, keys.secretKey)).toThrow()
      expect(() => noble.dh(bad, keys.secretKey)).toThrow()
      expect(() => noiseDh(bad, keys.secretKey)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
    }
  })
})

describe('domain-separated signatures', () => {
  const keys = generateKeyPair()
  const message = new TextEncoder().encode('hello')

  it('verify under their own context', () => {
    const sig = sign(SigningContext.RPC_RESPONSE, message, keys.secretKey)
    expect(verify(SigningContext.RPC_RESPONSE, message, sig, keys.publicKey)).toBe(true)
  })

  it('fail under any other context', () => {
    const sig = sign(SigningContext.RPC_RESPONSE, message, keys.secretKey)
    expect(verify(SigningContext.PEER_RECORD, message, sig, keys.publicKey)).toBe(false)
    expect(verify('lume/rpc/response/v2', message, sig, keys.publicKey)).toBe(false)
  })

  it('keep context and message apart (no shifting bytes between them)', () => {
    // "ab" + "c" and "a" + "bc" must sign different bytes.
    const c = new TextEncoder().encode('c')
    const bc = new TextEncoder().encode('bc')
    expect(Buffer.from(signedBytes('ab', c)).equals(Buffer.from(signedBytes('a', bc)))).toBe(false)
    const sig = sign('ab', c, keys.secretKey)
    expect(verify('a', bc, sig, keys.publicKey)).toBe(false)
  })

  it('lays out the signed bytes as len ‖ context ‖ message', () => {
    expect(Array.from(signedBytes('ab', new Uint8Array([9])))).toEqual([2, 0x61, 0x62, 9])
  })

  it('refuses an empty or oversized context', () => {
    expect(() => sign('', message, keys.secretKey)).toThrow(/context/)
    expect(() => sign('x'.repeat(256), message, keys.secretKey)).toThrow(/context/)
  })

  it('returns false, never throws, for garbage', () => {
    const sig = sign(SigningContext.RPC_RESPONSE, message, keys.secretKey)
    expect(verify(SigningContext.RPC_RESPONSE, message, new Uint8Array(3), keys.publicKey)).toBe(false)
    expect(verify(SigningContext.RPC_RESPONSE, message, sig, new Uint8Array(0))).toBe(false)
    expect(verify(SigningContext.RPC_RESPONSE, 'x' as unknown as Uint8Array, sig, keys.publicKey)).toBe(false)
  })
})
